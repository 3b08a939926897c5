package de.nnkurs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/quickstart.jsh} runs in JShell as the README says: it trains, saves, exports,
 * evaluates, predicts. The README shows the file's text as a code block.
 */
class ReadmeSnippetIT {

    private static final Path SCRIPT = Path.of("scripts", "quickstart.jsh");

    @TempDir Path tmp;

    @Test
    void theQuickstartScriptTrainsEvaluatesAndExportsThroughTheLibrary() throws Exception {
        String script = Files.readString(SCRIPT);
        assertTrue(script.lines().count() <= 12, "a short script:\n" + script);
        assertTrue(script.stripTrailing().endsWith("/exit"), "the script ends with /exit");
        Path log = tmp.resolve("jshell.log");
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        // Run where nothing of the project is: its data/mnist is a link to the real MNIST, and
        // what the script writes under models/ lands in the temporary folder.
        Path work = Files.createDirectory(tmp.resolve("work"));
        Files.createDirectories(work.resolve("data"));
        Files.createSymbolicLink(work.resolve("data/mnist"), RealMnist.dir().toAbsolutePath());
        Process p =
                new ProcessBuilder(
                                jshell.toString(),
                                "--class-path",
                                Path.of("target", "nnkurs.jar").toAbsolutePath().toString(),
                                "-R-Dorg.slf4j.simpleLogger.log.ai.djl=error",
                                "-R-Dai.djl.offline=true",
                                SCRIPT.toAbsolutePath().toString())
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), "jshell finished");
            String output = Files.readString(log);
            assertEquals(0, p.exitValue(), output);
            assertTrue(!output.contains("|  Error") && !output.contains("Exception"), output);
            assertTrue(output.contains("epoch 2  loss"), output);
            assertTrue(output.contains("accuracy 0.9"), "the confusion matrix table:\n" + output);
            assertTrue(output.contains("Guess[digit=7"), "test image 0 is a 7:\n" + output);
            assertTrue(
                    Files.isRegularFile(work.resolve("models/serving/jshell/serving.properties")));
            assertTrue(Files.isRegularFile(work.resolve("models/serving-zip/jshell.zip")));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theReadmeShowsTheScriptVerbatim() throws Exception {
        String script = Files.readString(SCRIPT);
        Matcher block =
                Pattern.compile("(?ms)^```java\\n(.*?)^```$")
                        .matcher(Files.readString(Path.of("README.md")));
        List<String> blocks = new ArrayList<>();
        while (block.find()) {
            blocks.add(block.group(1));
        }
        assertTrue(
                blocks.contains(script),
                "no ```java block in README.md is " + SCRIPT + " verbatim; the blocks: " + blocks);
    }
}
