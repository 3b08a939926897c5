package de.nnkurs.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and keeps what it printed, for the CLI tests. */
abstract class CommandLineTest {

    /** What the command printed on standard output. */
    protected final StringWriter out = new StringWriter();

    /** What the command printed on standard error. */
    protected final StringWriter err = new StringWriter();

    /** Runs {@code nnkurs args…} and returns its exit code. */
    protected int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
