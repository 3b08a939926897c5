package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.util.Utils;

import java.io.DataOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ServingCheck} in a separate JVM whose class path holds DJL but no class of this
 * project: the export's translator can only come from the jar in its own {@code libs/} folder, as
 * under DJL Serving.
 */
final class IsolatedServing {

    private IsolatedServing() {}

    /**
     * Sends each picture to the exported model in a separate JVM.
     *
     * @param model the exported folder or zip
     * @param pictures encoded pictures
     * @param tmp a scratch folder
     * @return the server's JSON answer for each picture, in order
     */
    static List<String> answers(Path model, List<byte[]> pictures, Path tmp) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("isolated-" + UUID.randomUUID()));
        Path images = work.resolve("images.bin");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(pictures.size());
            for (byte[] picture : pictures) {
                out.writeInt(picture.length);
                out.write(picture);
            }
        }
        Path answers = work.resolve("answers.txt");
        // The check class alone, in a folder of its own: no other class of this project.
        Path classes = work.resolve("check-classes");
        Path target = classes.resolve("de/nnkurs/export/ServingCheck.class");
        Files.createDirectories(target.getParent());
        try (var in = ServingCheck.class.getResourceAsStream("ServingCheck.class")) {
            Files.copy(in, target);
        }
        List<String> classPath = new ArrayList<>();
        classPath.add(classes.toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            // Failsafe puts the project's own jar on the class path; leave it out too.
            boolean ownJar = Path.of(entry).getFileName().toString().startsWith("nnkurs");
            if (entry.endsWith(".jar")
                    && !ownJar
                    && !entry.contains("junit")
                    && !entry.contains("surefire")
                    && !entry.contains("failsafe")) {
                classPath.add(entry);
            }
        }
        Path log = work.resolve("serving-check.log");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                // A fresh cache: DJL keys unpacked zips by path, not content.
                                "-DDJL_CACHE_DIR=" + work.resolve("djl-cache"),
                                "-DENGINE_CACHE_DIR=" + Utils.getEngineCacheDir(),
                                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                                "-cp",
                                String.join(File.pathSeparator, classPath),
                                ServingCheck.class.getName(),
                                model.toAbsolutePath().toString(),
                                images.toString(),
                                answers.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "serving check did not finish");
        assertEquals(0, p.exitValue(), Files.readString(log));
        return Files.readAllLines(answers, StandardCharsets.UTF_8);
    }
}
