package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;

import de.nnkurs.ExportedMnist;
import de.nnkurs.InvalidSettingException;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A model folder is loaded only when its files agree (issue 18, items 3, 14, 19): metadata.json's
 * architecture and activation against the names and shapes in the .params file, a .params that is
 * not a regular file, and an export output inside the trained folder.
 */
class ModelFolderAgreementTest {

    @TempDir Path tmp;

    /** Saves a 784-64-64-10 ReLU model (logits) into {@code dir}, its metadata saying so. */
    private static Path saved(Path dir) throws IOException {
        Architecture architecture =
                new Architecture(List.of(64, 64), HiddenActivation.RELU, Variant.LOGITS);
        try (Model model = Model.newInstance("mnist")) {
            model.setBlock(Models.sequential(architecture));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, Models.INPUT_SHAPE);
            ModelFolder.save(
                    model,
                    dir,
                    ModelMetadata.builder().setName("mnist").setArchitecture(architecture).build());
        }
        return dir.resolve("mnist-0000.params");
    }

    private static void edit(Path dir, String from, String to) throws IOException {
        Path file = dir.resolve(ModelMetadata.FILE_NAME);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains(from), text);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }

    @Test
    void anotherArchitectureInTheMetadataIsRefusedNamingTheFirstMismatch() throws IOException {
        Path dir = tmp.resolve("mnist");
        Path params = saved(dir);
        edit(dir, "784-64-64-10", "784-32-10");
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ModelFolder.load(dir));
        assertEquals(
                params + ": 0.weight is (64, 784), metadata.json's 784-32-10 needs (32, 784)",
                e.getMessage());
        // weights export, which wrote the arrays of neither network, refuses the same way
        Path out = tmp.resolve("w.npz");
        assertThrows(InvalidDataException.class, () -> ModelFolder.exportWeights(dir, out));
        assertTrue(Files.notExists(out));
        // export, which printed a raw torch error naming no file
        InvalidDataException export =
                assertThrows(
                        InvalidDataException.class,
                        () -> ServingFolder.export(dir, tmp.resolve("serving")));
        assertEquals(e.getMessage(), export.getMessage());
    }

    @Test
    void moreLayersInTheMetadataThanInTheFileIsAMismatchNotATruncation() throws IOException {
        Path dir = tmp.resolve("mnist");
        Path params = saved(dir);
        edit(dir, "784-64-64-10", "784-64-64-64-10");
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ModelFolder.load(dir));
        assertEquals(
                params + ": 4.weight is (10, 64), metadata.json's 784-64-64-64-10 needs (64, 64)",
                e.getMessage());
    }

    @Test
    void anotherActivationInTheMetadataIsRefusedNotCalledCorrupt() throws IOException {
        Path dir = tmp.resolve("mnist");
        Path params = saved(dir);
        edit(dir, "\"relu\"", "\"prelu\"");
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ModelFolder.load(dir));
        assertEquals(
                params
                        + ": parameter 3 is weight (64, 64), metadata.json's 784-64-64-10 prelu"
                        + " needs 1.alpha ()",
                e.getMessage());
    }

    @Test
    void parametersThatAreAFifoAreRefusedBeforeOpening() throws Exception {
        Path dir = tmp.resolve("mnist");
        Path params = saved(dir);
        Files.delete(params);
        Process mkfifo = new ProcessBuilder("mkfifo", params.toString()).start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        // Opening a FIFO without a writer blocks for good: the check must come first.
        var result =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                ModelFolder.load(dir).close();
                                return "loaded";
                            } catch (IOException e) {
                                return e.getMessage();
                            }
                        });
        assertEquals(
                params + ": a FIFO (named pipe), not a regular file; not opened",
                result.get(60, TimeUnit.SECONDS));
    }

    @Test
    void anExportIntoTheTrainedFolderIsRefusedNamingBoth() throws IOException {
        Path dir = tmp.resolve("mnist");
        saved(dir);
        Path inside = dir.resolve("serving");
        InvalidSettingException e =
                assertThrows(
                        InvalidSettingException.class, () -> ServingFolder.export(dir, inside));
        assertEquals("output", e.setting());
        assertTrue(
                e.problem().startsWith(inside + ": inside the trained model's folder " + dir),
                e.problem());
        assertEquals(List.of("metadata.json", "mnist-0000.params"), ExportedMnist.files(dir));
    }
}
