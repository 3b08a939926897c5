package de.nnkurs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The README's JShell snippet runs as printed: it trains, saves, exports, evaluates, predicts. */
class ReadmeSnippetIT {

    @TempDir Path tmp;

    @Test
    void theJShellSnippetTrainsEvaluatesAndExportsThroughTheLibrary() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Use it from Java, JShell or a notebook");
        assertTrue(section >= 0, "the README has the section");
        Matcher code = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(code.find(section), "the section has a java code block");
        String snippet = code.group(1);
        assertTrue(snippet.lines().count() <= 12, "a short snippet:\n" + snippet);
        Path script = Files.writeString(tmp.resolve("snippet.jsh"), snippet + "/exit\n");
        Path log = tmp.resolve("jshell.log");
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        // Run where nothing of the project is: its data/mnist is a link to the real MNIST, and
        // what the snippet writes under models/ lands in the temporary folder.
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
                                script.toString())
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
}
