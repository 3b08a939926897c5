package de.nnkurs.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import de.nnkurs.PythonSide;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code scripts/benchmark --quick} runs every part (Java in-process, the train command, the Python
 * loops) and writes one JSON with the figures and the targets; no figure is judged.
 */
class BenchmarkScriptIT {

    @TempDir Path tmp;

    @Test
    void aQuickRunWritesEveryFigure() throws Exception {
        PythonSide.require();
        Path json = tmp.resolve("bench.json");
        Scripts.Run r =
                Scripts.run(
                        tmp,
                        Map.of(),
                        "bash",
                        "scripts/benchmark",
                        "--quick",
                        "--runs",
                        "1",
                        "--threads",
                        "1",
                        "--output",
                        json.toString());
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("nothing measured"), r.output());
        JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        JsonObject java = result.getAsJsonObject("java").getAsJsonObject("1");
        for (String key :
                new String[] {
                    "medianSecondsPerEpoch",
                    "timesAsFastAsPeer",
                    "nativeCallsPerStep",
                    "peerNativeCallsPerStep",
                    "predictP50Micros",
                    "predictP99Micros",
                    "imagesPerSecondBatch256",
                    "imagesPerSecondBatch10000",
                    "peakRssMb"
                }) {
            assertTrue(java.get(key).getAsDouble() > 0, key);
        }
        assertTrue(
                result.getAsJsonObject("trainCommand").get("medianWallSeconds").getAsDouble() > 0);
        JsonObject python = result.getAsJsonObject("python");
        assertNotNull(python.get("dataloader"), r.output());
        assertTrue(
                python.getAsJsonObject("memory")
                                .getAsJsonObject("1")
                                .get("medianSecondsPerEpoch")
                                .getAsDouble()
                        > 0);
        assertTrue(result.getAsJsonObject("ratios").get("javaVsPythonInMemory").getAsDouble() > 0);
        // The speed issue's seven targets and issue 19's ratio to the DJL Trainer loop.
        assertEquals(8, result.getAsJsonArray("targets").size(), "one per target of the issues");
    }
}
