package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.data.IdxFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@code nnkurs} process keeps DJL's start-up log lines off the console. */
class QuietStartIT {

    @TempDir Path tmp;

    private String run(String... args) throws Exception {
        Path data = tmp.resolve("data");
        if (!Files.exists(data)) {
            IdxFixtures.writeMnistFolder(data, 300, 100, false);
        }
        List<String> command =
                new java.util.ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--dry-run", "--data-dir", data.toString()));
        Path stderr = tmp.resolve("stderr.txt");
        Process p =
                new ProcessBuilder(command)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(stderr.toFile())
                        .start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), Files.readString(stderr));
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Test
    void trainPrintsNoDjlLogLinesByDefault() throws Exception {
        String stderr = run("train");
        assertTrue(stderr.isBlank(), "stderr:\n" + stderr);
    }

    @Test
    void verboseShowsThem() throws Exception {
        String stderr = run("--verbose", "train");
        assertTrue(stderr.contains("ai.djl"), "stderr:\n" + stderr);
    }
}
