package de.nnkurs.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Specifies that {@link DataLoader} batches like PyTorch's with the course transform. */
class DataLoaderTest {

    private static final int N = 1000;
    private static final int BATCH = 256;
    private static final int PIXELS = 28 * 28;

    /** Maps the float bits of each transformed byte back to the byte. */
    private static final Map<Integer, Integer> BYTE_OF = new HashMap<>();

    static {
        for (int b = 0; b < 256; b++) {
            BYTE_OF.put(Float.floatToIntBits(CourseTransform.apply((byte) b)), b);
        }
    }

    @Test
    void sizeIsTheNumberOfBatchesRoundedUp() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(4, loader(manager, false, new Random(1)).size());
        }
    }

    @Test
    void keepsTheLastPartialBatch() {
        List<Integer> sizes = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Batch batch : loader(manager, false, new Random(1))) {
                try (batch) {
                    sizes.add(batch.getSize());
                    assertEquals(batch.getSize(), batch.getData().head().getShape().get(0));
                }
            }
        }
        assertEquals(List.of(256, 256, 256, 232), sizes);
    }

    @Test
    void batchHoldsFloat32ImagesOfShapeB1x28x28AndInt64LabelsOfShapeB() {
        try (NDManager manager = NDManager.newBaseManager();
                Batch batch = loader(manager, false, new Random(1)).iterator().next()) {
            NDArray images = batch.getData().singletonOrThrow();
            NDArray labels = batch.getLabels().singletonOrThrow();

            assertEquals(new Shape(BATCH, 1, 28, 28), images.getShape());
            assertEquals(DataType.FLOAT32, images.getDataType());
            assertEquals(new Shape(BATCH), labels.getShape());
            assertEquals(DataType.INT64, labels.getDataType());
        }
    }

    @Test
    void withoutShuffleBatchesFollowFileOrderWithCourseTransformValues() {
        MnistSplit split = split();
        float[] expectedImages = new float[N * PIXELS];
        CourseTransform.apply(split.pixels(), 0, expectedImages, 0, N * PIXELS);
        float[] images = new float[N * PIXELS];
        long[] labels = new long[N];
        int filled = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Batch batch : new DataLoader(manager, split, BATCH, false, new Random(1))) {
                try (batch) {
                    float[] x = batch.getData().singletonOrThrow().toFloatArray();
                    long[] y = batch.getLabels().singletonOrThrow().toLongArray();
                    System.arraycopy(x, 0, images, filled * PIXELS, x.length);
                    System.arraycopy(y, 0, labels, filled, y.length);
                    filled += y.length;
                }
            }
        }
        assertEquals(N, filled);
        assertArrayEquals(expectedImages, images);
        for (int i = 0; i < N; i++) {
            assertEquals(i % 10, labels[i], "label of example " + i);
        }
    }

    @Test
    void aBatchKeptOpenKeepsItsValuesWhileTheNextOnesAreMade() {
        // The loader reuses a batch's memory two batches later, but only once it is closed.
        try (NDManager manager = NDManager.newBaseManager()) {
            Iterator<Batch> batches = loader(manager, true, new Random(1)).iterator();
            try (Batch first = batches.next()) {
                NDArray images = first.getData().singletonOrThrow();
                NDArray labels = first.getLabels().singletonOrThrow();
                float[] before = images.toFloatArray();
                long[] labelsBefore = labels.toLongArray();
                for (int i = 0; i < 3; i++) {
                    try (Batch next = batches.next()) {
                        assertFalse(
                                Arrays.equals(
                                        before, next.getData().singletonOrThrow().toFloatArray()));
                    }
                    assertArrayEquals(before, images.toFloatArray(), "after batch " + (i + 2));
                    assertArrayEquals(labelsBefore, labels.toLongArray());
                }
            }
        }
    }

    @Test
    void withShuffleEveryEpochVisitsEveryExampleExactlyOnce() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DataLoader loader = loader(manager, true, new Random(1));
            for (int epoch = 0; epoch < 2; epoch++) {
                List<Integer> order = epochOrder(loader);
                boolean[] seen = new boolean[N];
                for (int example : order) {
                    assertFalse(seen[example], "example " + example + " visited twice");
                    seen[example] = true;
                }
                assertEquals(N, order.size());
            }
        }
    }

    @Test
    void withShuffleConsecutiveEpochsHaveDifferentOrders() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DataLoader loader = loader(manager, true, new Random(1));
            List<Integer> first = epochOrder(loader);
            List<Integer> second = epochOrder(loader);

            assertNotEquals(identity(), first);
            assertNotEquals(first, second);
        }
    }

    @Test
    void withShuffleTheSameSeedGivesTheSameOrder() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DataLoader a = loader(manager, true, new Random(42));
            DataLoader b = loader(manager, true, new Random(42));

            assertEquals(epochOrder(a), epochOrder(b));
            assertEquals(epochOrder(a), epochOrder(b));
        }
    }

    @Test
    void closingABatchReleasesItsArrays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = loader(manager, false, new Random(1)).iterator().next();
            NDArray images = batch.getData().singletonOrThrow();
            NDArray labels = batch.getLabels().singletonOrThrow();
            try (batch) {
                assertFalse(images.isReleased());
            }
            assertTrue(images.isReleased());
            assertTrue(labels.isReleased());
        }
    }

    @Test
    void rejectsBatchSizeBelowOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new DataLoader(manager, split(), 0, false, new Random(1)));
        }
    }

    private static DataLoader loader(NDManager manager, boolean shuffle, Random random) {
        return new DataLoader(manager, split(), BATCH, shuffle, random);
    }

    /** Example {@code i} carries {@code i} in its first two pixels and label {@code i % 10}. */
    private static MnistSplit split() {
        byte[] pixels = new byte[N * PIXELS];
        byte[] labels = new byte[N];
        for (int i = 0; i < N; i++) {
            pixels[i * PIXELS] = (byte) (i >> 8);
            pixels[i * PIXELS + 1] = (byte) i;
            for (int p = 2; p < PIXELS; p++) {
                pixels[i * PIXELS + p] = (byte) (i * 7 + p);
            }
            labels[i] = (byte) (i % 10);
        }
        return new MnistSplit(N, pixels, labels);
    }

    /** Runs one epoch and returns the example indices in the order visited. */
    private static List<Integer> epochOrder(DataLoader loader) {
        List<Integer> order = new ArrayList<>();
        for (Batch batch : loader) {
            try (batch) {
                float[] x = batch.getData().singletonOrThrow().toFloatArray();
                long[] y = batch.getLabels().singletonOrThrow().toLongArray();
                for (int k = 0; k < y.length; k++) {
                    int example = (pixelByte(x[k * PIXELS]) << 8) | pixelByte(x[k * PIXELS + 1]);
                    assertEquals(example % 10, y[k], "label of example " + example);
                    order.add(example);
                }
            }
        }
        return order;
    }

    private static int pixelByte(float value) {
        Integer b = BYTE_OF.get(Float.floatToIntBits(value));
        assertNotNull(b, "not a transformed byte: " + value);
        return b;
    }

    private static List<Integer> identity() {
        List<Integer> identity = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            identity.add(i);
        }
        return identity;
    }
}
