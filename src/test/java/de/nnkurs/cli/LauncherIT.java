package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The packaged jar, copied without its lib/ folder, says what is missing in one line. */
class LauncherIT {

    @TempDir Path tmp;

    @Test
    void theJarAloneFailsWithOneLineNamingTheMissingLibFolder() throws Exception {
        Path jar = Files.copy(Path.of("target", "nnkurs.jar"), tmp.resolve("nnkurs.jar"));
        Path log = tmp.resolve("err.txt");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-jar",
                                jar.toString(),
                                "train")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        String output = Files.readString(log);
        assertEquals(1, p.exitValue(), output);
        assertEquals(1, output.lines().count(), output);
        assertTrue(output.startsWith("nnkurs: picocli.CommandLine is missing"), output);
        assertTrue(output.contains(tmp.resolve("lib").toString()), output);
    }
}
