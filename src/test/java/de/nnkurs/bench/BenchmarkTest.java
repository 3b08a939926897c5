package de.nnkurs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.Synthetic;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's arithmetic and that a small run yields every figure (never how fast). */
class BenchmarkTest {

    @Test
    void percentilesAreNearestRank() {
        double[] values = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
        assertEquals(5, Benchmark.percentile(values, 50));
        assertEquals(10, Benchmark.percentile(values, 99));
        assertEquals(1, Benchmark.percentile(values, 1));
        assertEquals(2, Benchmark.median(new double[] {3, 1, 2}));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        // Four timed epochs, sorted 0.702, 0.802, 0.944, 1.113: by hand (0.802 + 0.944) / 2 =
        // 0.873, where the nearest rank would give 0.802.
        assertEquals(0.873, Benchmark.median(new double[] {0.944, 0.702, 1.113, 0.802}), 1e-12);
    }

    @Test
    void theMedianEpochLeavesOutTheWarmUp() {
        BenchmarkResult r =
                new BenchmarkResult(
                        new double[] {9, 1, 3, 2},
                        new double[] {8, 5, 7, 6},
                        Double.NaN,
                        Double.NaN,
                        600,
                        1,
                        2,
                        3,
                        4,
                        5,
                        1,
                        2);
        assertEquals(2, r.medianEpochSeconds());
        assertEquals(300, r.samplesPerSecond());
        // By hand: the peer's median after its warm-up is 6 s, the project's 2 s: 3× as fast.
        assertEquals(6, r.peerMedianEpochSeconds());
        assertEquals(3, r.timesAsFastAsPeer());
        assertTrue(
                r.table().contains("project / DJL loop not counted (run from the jar)"), r.table());
    }

    @Test
    void settingsThatCannotMeasureAreRefusedNamingThem() {
        assertEquals(
                "epochs",
                assertThrows(
                                InvalidSettingException.class,
                                () -> new Benchmark.Settings(1, 10, 2, 0))
                        .setting());
        assertEquals(
                "passes",
                assertThrows(
                                InvalidSettingException.class,
                                () -> new Benchmark.Settings(2, 10, 1, 0))
                        .setting());
    }

    @Test
    void aSmallRunReportsEveryFigure() throws IOException {
        List<String> log = new ArrayList<>();
        BenchmarkResult r =
                Benchmark.run(
                        Synthetic.mnist(1024, 300), new Benchmark.Settings(2, 20, 2, 3), log::add);
        assertEquals(2, r.epochSeconds().length);
        assertEquals(2, r.peerEpochSeconds().length, "the DJL Trainer loop ran too");
        assertEquals(3 * 256, r.trainingExamples(), "3 batches of 256 per epoch");
        JsonObject json = JsonParser.parseString(r.toJson()).getAsJsonObject();
        for (String key :
                List.of(
                        "medianSecondsPerEpoch",
                        "samplesPerSecond",
                        "peerMedianSecondsPerEpoch",
                        "timesAsFastAsPeer",
                        "predictP50Micros",
                        "predictP99Micros",
                        "imagesPerSecondBatch256",
                        "imagesPerSecondBatch10000")) {
            double value = json.get(key).getAsDouble();
            assertTrue(value > 0 && Double.isFinite(value), key + " = " + value);
        }
        assertTrue(r.predictP99Micros() >= r.predictP50Micros());
        assertTrue(log.get(0).startsWith("training 2 epochs"), log.toString());
    }
}
