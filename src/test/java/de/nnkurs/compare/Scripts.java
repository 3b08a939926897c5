package de.nnkurs.compare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a script or program for the script tests and keeps its exit code and output. */
final class Scripts {

    /** What a run printed (standard output and error together) and its exit code. */
    record Run(int code, String output) {}

    private Scripts() {}

    /**
     * Runs {@code command} with extra environment variables, its output logged in {@code tmp}.
     *
     * @param tmp a folder for the log
     * @param env variables added to this process's environment
     * @param command the program and its arguments
     * @return the exit code and the output
     * @throws Exception if the program cannot start or does not end within 5 minutes
     */
    static Run run(Path tmp, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(tmp, "run", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not end");
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
