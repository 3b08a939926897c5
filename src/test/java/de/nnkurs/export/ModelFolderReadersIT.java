package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;

import de.nnkurs.model.StateDict;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Issue 18, item 2: {@code weights export} while {@code train} replaced the same model folder wrote
 * arrays of neither network, or blamed a sound file. Readers now hold the readers' lock, so a swap
 * waits for them and they for it: every read sees the old or the new model, complete.
 */
class ModelFolderReadersIT {

    @TempDir Path tmp;

    @Test
    void everyReadDuringRepeatedReplacesIsOneWholeModel() throws Exception {
        Path dir = tmp.resolve("mnist");
        ReplaceChild.save(dir, List.of(64, 64));
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dai.djl.pytorch.num_threads=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReplaceChild.class.getName(),
                        dir.toString(),
                        "300");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("replacing", out.readLine());
        Set<String> whole = Set.of("784-64-64-10", "784-32-10");
        List<String> failures = new ArrayList<>();
        int reads = 0;
        try {
            while (child.isAlive() && reads < 2000) {
                try (Model model = ModelFolder.load(dir)) {
                    int first =
                            (int)
                                    StateDict.parameters(model.getBlock())
                                            .get("0.weight")
                                            .getArray()
                                            .getShape()
                                            .get(0);
                    int layers = StateDict.parameters(model.getBlock()).size() / 2;
                    String loaded = "784-" + (layers == 3 ? first + "-" + first : first) + "-10";
                    assertTrue(whole.contains(loaded), loaded);
                } catch (IOException e) {
                    failures.add(e.getMessage());
                }
                reads++;
            }
        } finally {
            List<String> rest = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                rest.add(line);
            }
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child ended");
            assertEquals(0, child.exitValue(), "the child's output: " + rest);
            assertEquals("done", rest.isEmpty() ? "" : rest.get(rest.size() - 1), "" + rest);
        }
        assertEquals(List.of(), failures, "reads that saw a mix, of " + reads);
        assertTrue(reads > 10, "reads: " + reads);
        System.out.println("ModelFolderReadersIT: " + reads + " whole reads during the replaces");
    }
}
