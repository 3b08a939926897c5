package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.data.IdxFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process and keeps what it printed, for the CLI tests. */
abstract class CommandLineTest {

    /** What the command printed on standard output. */
    protected final StringWriter out = new StringWriter();

    /** What the command printed on standard error. */
    protected final StringWriter err = new StringWriter();

    /** Asserts the command printed exactly one line on standard error, containing the fragment. */
    protected void assertOneLineError(String expectedFragment) {
        String text = err.toString();
        assertEquals(1, text.lines().count(), "one line, got: " + text);
        assertTrue(text.contains(expectedFragment), text);
    }

    /** Writes a tiny MNIST-format folder (600 training, 100 test images) below {@code tmp}. */
    protected static Path tinyData(Path tmp) throws IOException {
        Path dir = tmp.resolve("data");
        if (!Files.isDirectory(dir)) {
            IdxFixtures.writeMnistFolder(dir, 600, 100, false);
        }
        return dir;
    }

    /** Runs {@code nnkurs args…} and returns its exit code. */
    protected int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
