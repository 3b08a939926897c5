package de.nnkurs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM on the tests' class path that runs a main class until it prints that it has paused, to be
 * killed there with SIGKILL: no finally block and no shutdown hook runs, as in a real crash.
 */
public final class PausedChild implements AutoCloseable {

    private final Process process;

    private PausedChild(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code main} on one libtorch thread and waits until it prints {@code pausedLine} (on
     * standard output or error; other lines before it are skipped).
     *
     * @param pausedLine the line the child prints where it stops for good
     * @param systemProperties {@code -D} options, e.g. {@code nnkurs.test.pause-at=written}
     * @param main the class whose {@code main} runs
     * @param args its arguments
     * @return the paused child
     * @throws IOException if it cannot start
     * @throws AssertionError if it ends without printing the line
     */
    public static PausedChild start(
            String pausedLine, List<String> systemProperties, Class<?> main, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dai.djl.pytorch.num_threads=1");
        systemProperties.forEach(p -> command.add("-D" + p));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        PausedChild child = new PausedChild(process);
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals(pausedLine)) {
                return child; // it sleeps there for good and prints nothing more
            }
            seen.add(line);
        }
        child.close();
        throw new AssertionError("the child ended without '" + pausedLine + "': " + seen);
    }

    /** Kills the child with SIGKILL and waits for it to end. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the killed child ended");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the child was being killed", e);
        }
    }
}
