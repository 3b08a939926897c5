package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import de.nnkurs.RealMnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code train}, killed with SIGKILL in its second epoch on the real MNIST, then
 * {@code train --resume}: every step's loss and every test prediction equal an uninterrupted run's.
 */
class ResumeIT {

    @TempDir Path tmp;

    private Process train(Path model, Path record, String... more) throws IOException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.pytorch.num_threads=1",
                                "-jar",
                                Path.of("target", "nnkurs.jar").toString(),
                                "train",
                                "--epochs",
                                "3",
                                "--data-dir",
                                RealMnist.dir().toString(),
                                "--output",
                                model.toString(),
                                "--save-record",
                                record.toString()));
        command.addAll(List.of(more));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve(record.getFileName() + ".log").toFile())
                .start();
    }

    private String finish(Process p, Path record) throws Exception {
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        String log = Files.readString(tmp.resolve(record.getFileName() + ".log"));
        assertEquals(0, p.exitValue(), log);
        return log;
    }

    private static JsonObject read(Path record) throws IOException {
        return JsonParser.parseString(Files.readString(record)).getAsJsonObject();
    }

    @Test
    void aTrainKilledInItsSecondEpochResumesWithTheUninterruptedSteps() throws Exception {
        Path model = tmp.resolve("mnist");
        Path checkpoint = tmp.resolve("mnist.checkpoint");
        Process killed = train(model, tmp.resolve("killed.json"));
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.exists(checkpoint.resolve("checkpoint.json"))
                    && System.nanoTime() < deadline
                    && killed.isAlive()) {
                Thread.sleep(20);
            }
            Thread.sleep(150); // into epoch 2
        } finally {
            killed.destroyForcibly(); // SIGKILL
            assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(checkpoint.resolve("checkpoint.json")), "a checkpoint was left");
        assertFalse(Files.exists(model), "the killed run saved nothing");

        String resumedLog =
                finish(
                        train(model, tmp.resolve("resumed.json"), "--resume"),
                        tmp.resolve("resumed.json"));
        assertTrue(resumedLog.contains("Resuming from " + checkpoint + " after epoch"), resumedLog);
        assertFalse(Files.exists(checkpoint), "removed once the model is saved");
        finish(train(tmp.resolve("other"), tmp.resolve("full.json")), tmp.resolve("full.json"));

        JsonObject resumed = read(tmp.resolve("resumed.json"));
        JsonObject full = read(tmp.resolve("full.json"));
        assertEquals(3 * 235, full.getAsJsonArray("stepLosses").size());
        assertEquals(full.get("stepLosses"), resumed.get("stepLosses"));
        assertEquals(full.get("testPredictions"), resumed.get("testPredictions"));
    }
}
