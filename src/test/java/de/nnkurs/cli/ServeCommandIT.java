package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.ExportedMnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code nnkurs serve} in its own JVM: it stops cleanly on Ctrl-C (SIGINT) and on SIGTERM (prints
 * its stop line and ends at once, with the exit code the JVM gives a signal it handled), and after
 * the README's first command, which trains but does not export, it exports the trained model first.
 */
class ServeCommandIT {

    private static final Pattern SERVING = Pattern.compile("Serving mnist at (http://\\S+/) .*");

    /** A started child, the address it printed and the lines before it. */
    private record Child(Process process, URI uri, BufferedReader out, List<String> before) {}

    private static Child start(Path model) throws IOException {
        return start(null, "--model", model.toString(), "--port", "0");
    }

    private static Child start(Path workingDir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dai.djl.pytorch.num_threads=1");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.add("serve");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        Process process = builder.start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = SERVING.matcher(line);
            if (m.matches()) {
                return new Child(process, URI.create(m.group(1)), out, seen);
            }
            seen.add(line);
        }
        process.destroyForcibly();
        throw new AssertionError("serve ended without its address: " + seen);
    }

    private static List<String> rest(Child child) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = child.out().readLine(); line != null; line = child.out().readLine()) {
            lines.add(line);
        }
        return lines;
    }

    private static void assertAnswers(Child child) throws Exception {
        HttpResponse<String> ping =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(child.uri().resolve("/ping")).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ping.statusCode());
    }

    private static void signal(Child child, String signal) throws Exception {
        Process kill =
                new ProcessBuilder("kill", signal, Long.toString(child.process().pid())).start();
        assertEquals(0, kill.waitFor());
    }

    @Test
    void sigtermStopsItWithItsStopLine() throws Exception {
        Child child = start(ExportedMnist.folder());
        try {
            assertAnswers(child);
            // Not Process.destroy(), which sends SIGTERM too but closes the child's output.
            signal(child, "-TERM");
            assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "ended after SIGTERM");
            List<String> rest = rest(child);
            assertTrue(rest.contains("Stopped serving mnist"), rest.toString());
            // 143 = 128 + SIGTERM: the JVM's code for a signal it handled with its hooks.
            assertTrue(Set.of(0, 143).contains(child.process().exitValue()), rest.toString());
        } finally {
            child.process().destroyForcibly();
        }
    }

    @Test
    void aHostBeyondThisMachineIsServedWithAWarning() throws Exception {
        Child child =
                start(
                        null,
                        "--model",
                        ExportedMnist.folder().toString(),
                        "--port",
                        "0",
                        "--host",
                        "0.0.0.0");
        try {
            assertTrue(
                    child.before()
                            .contains(
                                    "nnkurs serve: warning: listening on 0.0.0.0: anyone on the"
                                            + " network can reach it"),
                    child.before().toString());
            assertAnswers(child);
        } finally {
            child.process().destroyForcibly();
        }
    }

    @Test
    void ctrlCStopsItWithItsStopLine() throws Exception {
        Child child = start(ExportedMnist.folder());
        try {
            assertAnswers(child);
            signal(child, "-INT");
            assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "ended after SIGINT");
            List<String> rest = rest(child);
            assertTrue(rest.contains("Stopped serving mnist"), rest.toString());
            assertTrue(Set.of(0, 130).contains(child.process().exitValue()), rest.toString());
        } finally {
            child.process().destroyForcibly();
        }
    }

    @Test
    void afterTrainAloneItExportsTheTrainedModelFirst(@TempDir Path dir) throws Exception {
        ExportedMnist.folder();
        Path trained = dir.resolve("models").resolve("mnist");
        Files.createDirectories(trained);
        try (var files = Files.list(ExportedMnist.TRAINED)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, trained.resolve(f.getFileName()));
            }
        }
        Child child = start(dir, "--port", "0");
        try {
            assertTrue(
                    child.before()
                            .contains(
                                    "Exported "
                                            + Path.of("models", "mnist")
                                            + " to "
                                            + Path.of("models", "serving", "mnist")
                                            + " first"),
                    child.before().toString());
            assertTrue(Files.isRegularFile(dir.resolve("models/serving/mnist/serving.properties")));
            assertAnswers(child);
        } finally {
            signal(child, "-TERM");
            child.process().waitFor(30, TimeUnit.SECONDS);
            child.process().destroyForcibly();
        }
    }
}
