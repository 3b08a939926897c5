package de.nnkurs.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Epoch orders shared with Python: written, read back, and checked. */
class OrderFileTest {

    @TempDir Path tmp;

    @Test
    void writtenOrdersReadBackIdentically() throws IOException {
        Sampler sampler = Sampler.random(new Random(3));
        List<int[]> orders = List.of(sampler.nextEpoch(100), sampler.nextEpoch(100));
        Path file = tmp.resolve("order.npz");
        try (NDManager manager = NDManager.newBaseManager()) {
            OrderFile.write(file, orders, manager);
            List<int[]> read = OrderFile.read(file, 100, 2, manager);
            assertEquals(2, read.size());
            assertArrayEquals(orders.get(0), read.get(0));
            assertArrayEquals(orders.get(1), read.get(1));
        }
    }

    @Test
    void tooFewEpochsAreRejected() throws IOException {
        Path file = tmp.resolve("order.npz");
        try (NDManager manager = NDManager.newBaseManager()) {
            OrderFile.write(file, List.of(Sampler.sequential().nextEpoch(10)), manager);
            InvalidDataException e =
                    assertThrows(
                            InvalidDataException.class, () -> OrderFile.read(file, 10, 2, manager));
            assertTrue(e.getMessage().contains("has no array epoch2"), e.getMessage());
        }
    }

    @Test
    void anOrderThatIsNotAPermutationIsRejected() throws IOException {
        Path file = tmp.resolve("order.npz");
        try (NDManager manager = NDManager.newBaseManager()) {
            OrderFile.write(file, List.of(new int[] {0, 1, 1, 3}), manager);
            InvalidDataException e =
                    assertThrows(
                            InvalidDataException.class, () -> OrderFile.read(file, 4, 1, manager));
            assertTrue(
                    e.getMessage().contains("not a permutation: index 1 at position 2"),
                    e.getMessage());
        }
    }

    @Test
    void anOrderForAnotherDatasetSizeIsRejected() throws IOException {
        Path file = tmp.resolve("order.npz");
        try (NDManager manager = NDManager.newBaseManager()) {
            OrderFile.write(file, List.of(Sampler.sequential().nextEpoch(10)), manager);
            InvalidDataException e =
                    assertThrows(
                            InvalidDataException.class, () -> OrderFile.read(file, 12, 1, manager));
            assertTrue(
                    e.getMessage().contains("epoch1 has 10 indices, the training set 12"),
                    e.getMessage());
        }
    }

    @Test
    void fixedSamplerReplaysTheOrdersThenRefuses() {
        Sampler fixed = Sampler.fixed(List.of(new int[] {2, 0, 1}));
        assertArrayEquals(new int[] {2, 0, 1}, fixed.nextEpoch(3));
        assertThrows(IllegalStateException.class, () -> fixed.nextEpoch(3));
    }

    @Test
    void ordersWrittenOneEpochAtATimeAreTheSamplersDrawsAndReadBack() throws IOException {
        Path file = tmp.resolve("streamed.npz");
        OrderFile.write(file, 3, 1000, Sampler.random(new Random(7)));
        Sampler again = Sampler.random(new Random(7));
        try (NDManager manager = NDManager.newBaseManager()) {
            List<int[]> read = OrderFile.read(file, 1000, 3, manager);
            for (int[] order : read) {
                assertArrayEquals(again.nextEpoch(1000), order);
            }
        }
    }

    @Test
    void moreIndicesThanAnOrderFileHoldsAreRefusedNamingTheSetting() {
        de.nnkurs.InvalidSettingException e =
                assertThrows(
                        de.nnkurs.InvalidSettingException.class,
                        () -> OrderFile.checkSize("save-order", 5000, 60000));
        assertEquals(
                "save-order cannot hold 5000 epochs of 60000 examples (300000000 indices): an"
                        + " order file holds at most 20000000, 333 epochs of 60000",
                e.getMessage());
        OrderFile.checkSize("save-order", 333, 60000);
    }
}
