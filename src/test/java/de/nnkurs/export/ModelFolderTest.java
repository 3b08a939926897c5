package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import de.nnkurs.Lesson;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A saved model folder: layout, metadata, reload, and errors that name the file. */
class ModelFolderTest {

    @TempDir Path tmp;

    private static ModelMetadata metadata(String name, Variant variant) {
        return new ModelMetadata(
                name,
                variant.label(),
                Lesson.architecture(),
                "relu",
                2,
                256,
                0.003,
                1,
                "adam",
                "cross-entropy",
                0.5,
                List.of(),
                Map.of(),
                "0.36.0",
                "PyTorch 2.7.1",
                "2026-01-01T00:00:00Z");
    }

    private static float[] outputs(Model model, NDArray x) {
        ParameterStore ps = new ParameterStore(model.getNDManager(), false);
        return model.getBlock().forward(ps, new NDList(x), false).head().toFloatArray();
    }

    private static Model newTrainedLookingModel(String name, Variant variant) {
        Model model = Model.newInstance(name);
        model.setBlock(Models.sequential(variant));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, Models.INPUT_SHAPE);
        return model;
    }

    @Test
    void saveWritesParametersNamedLikeTheFolderAndTheMetadata() throws IOException {
        Path dir = tmp.resolve("mnist");
        try (Model model = newTrainedLookingModel("mnist", Variant.SLIDES)) {
            ModelFolder.save(model, dir, metadata("mnist", Variant.SLIDES));
        }
        assertTrue(Files.isRegularFile(dir.resolve("mnist-0002.params")));
        assertEquals(metadata("mnist", Variant.SLIDES), ModelFolder.readMetadata(dir));
    }

    @Test
    void loadedModelGivesIdenticalOutputs() throws IOException {
        for (Variant variant : Variant.values()) {
            Path dir = tmp.resolve("m-" + variant.label());
            try (NDManager manager = NDManager.newBaseManager();
                    Model model = newTrainedLookingModel(dir.getFileName().toString(), variant)) {
                NDArray x = manager.randomNormal(new Shape(3, Lesson.INPUT));
                ModelFolder.save(model, dir, metadata(dir.getFileName().toString(), variant));
                try (Model loaded = ModelFolder.load(dir)) {
                    assertArrayEquals(outputs(model, x), outputs(loaded, x), variant.label());
                }
            }
        }
    }

    @Test
    void aLoadedModelCanBeSavedAgain() throws IOException {
        Path dir = tmp.resolve("mnist");
        try (Model model = newTrainedLookingModel("mnist", Variant.SLIDES)) {
            ModelFolder.save(model, dir, metadata("mnist", Variant.SLIDES));
        }
        try (NDManager manager = NDManager.newBaseManager();
                Model loaded = ModelFolder.load(dir)) {
            NDArray x = manager.randomNormal(new Shape(2, Lesson.INPUT));
            float[] expected = outputs(loaded, x);
            ModelFolder.save(loaded, dir, metadata("mnist", Variant.SLIDES));
            try (Model again = ModelFolder.load(dir)) {
                assertArrayEquals(expected, outputs(again, x));
            }
        }
    }

    @Test
    void metadataNameMustMatchTheFolder() {
        try (Model model = newTrainedLookingModel("a", Variant.SLIDES)) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ModelFolder.save(model, tmp.resolve("b"), metadata("a", Variant.SLIDES)));
        }
    }

    @Test
    void loadingAFolderWithoutMetadataNamesTheFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ModelFolder.load(dir));
        assertTrue(e.getMessage().contains("metadata.json"), e.getMessage());
    }

    @Test
    void loadingTruncatedParametersNamesTheFile() throws IOException {
        Path dir = tmp.resolve("mnist");
        try (Model model = newTrainedLookingModel("mnist", Variant.SLIDES)) {
            ModelFolder.save(model, dir, metadata("mnist", Variant.SLIDES));
        }
        Path params = dir.resolve("mnist-0002.params");
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ModelFolder.load(dir));
        assertTrue(e.getMessage().startsWith(params + ": truncated: "), e.getMessage());
    }

    @Test
    void parametersOverwrittenWithRandomBytesAreRefusedNotReplacedByRandomWeights()
            throws IOException {
        // DJL skips a file without its DJL@ header silently: the model kept its initial weights.
        Path dir = tmp.resolve("mnist");
        try (Model model = newTrainedLookingModel("mnist", Variant.SLIDES)) {
            ModelFolder.save(model, dir, metadata("mnist", Variant.SLIDES));
        }
        Path params = dir.resolve("mnist-0002.params");
        byte[] noise = new byte[(int) Files.size(params)];
        new java.util.Random(7).nextBytes(noise);
        Files.write(params, noise);
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ModelFolder.load(dir));
        assertEquals(params + ": not DJL parameters (no DJL@ header)", e.getMessage());
    }

    @Test
    void parametersWithNaNAreRefused() throws IOException {
        Path dir = tmp.resolve("mnist");
        try (Model model = newTrainedLookingModel("mnist", Variant.SLIDES)) {
            model.getBlock()
                    .getParameters()
                    .get(2)
                    .getValue()
                    .getArray()
                    .set(new ai.djl.ndarray.index.NDIndex("0, 0"), Float.NaN);
            ModelFolder.save(model, dir, metadata("mnist", Variant.SLIDES));
        }
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ModelFolder.load(dir));
        assertTrue(e.getMessage().contains("was not read or is not finite"), e.getMessage());
    }

    @Test
    void invalidMetadataJsonNamesTheFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(dir.resolve("metadata.json"), "{ not json");
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ModelFolder.readMetadata(dir));
        assertTrue(e.getMessage().contains("metadata.json"), e.getMessage());
    }

    @Test
    void metadataThatIsNotJsonIsOneLineWithLineAndColumnAndNoGsonUrl() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("broken3"));
        Path file = dir.resolve("metadata.json");
        Files.writeString(file, "{\n  \"name\": \"mnist\",\n  \"variant\" \"SLIDES\"\n}\n");
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ModelFolder.readMetadata(dir));
        assertEquals(
                file + ": not JSON (line 3, column 14: Expected ':' (at $.variant))",
                e.getMessage());

        Files.writeString(file, "[1, 2]");
        e = assertThrows(InvalidDataException.class, () -> ModelFolder.readMetadata(dir));
        assertEquals(
                file
                        + ": not the layout of model metadata (line 1, column 2: Expected"
                        + " BEGIN_OBJECT but was BEGIN_ARRAY)",
                e.getMessage());
    }
}
