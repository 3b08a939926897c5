package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import de.nnkurs.ExportedMnist;
import de.nnkurs.Lesson;
import de.nnkurs.RealMnist;
import de.nnkurs.data.DataLoader;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.MnistData;
import de.nnkurs.data.Sampler;
import de.nnkurs.model.StateDict;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import javax.imageio.ImageIO;

/** The exported folder and zip, loaded the way DJL Serving loads them. */
class ServingFolderIT {

    @TempDir Path tmp;

    private static MnistData mnist;
    private static float[][] inProcess;

    @BeforeAll
    static void trainExportAndPredictInProcess() throws IOException {
        mnist = RealMnist.load();
        ExportedMnist.folder();
        try (Model model = ModelFolder.load(ExportedMnist.TRAINED);
                NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            inProcess = new float[mnist.test().count()][];
            int next = 0;
            for (Batch batch : new DataLoader(manager, mnist.test(), 1000, Sampler.sequential())) {
                try (batch) {
                    NDArray x = batch.getData().head().reshape(-1, Lesson.INPUT);
                    NDArray p = model.getBlock().forward(ps, new NDList(x), false).head();
                    for (int i = 0; i < p.getShape().get(0); i++) {
                        inProcess[next++] = p.get(i).toFloatArray();
                    }
                }
            }
        }
    }

    @Test
    void folderHoldsParametersPropertiesMetadataAndTheTranslatorJar() throws IOException {
        assertEquals(
                List.of("libs", "metadata.json", "mnist-0001.params", "serving.properties"),
                ExportedMnist.files(ExportedMnist.folder()));
        assertEquals(
                List.of("nnkurs-serving.jar"),
                ExportedMnist.files(ExportedMnist.folder().resolve("libs")));
        String props = Files.readString(ExportedMnist.folder().resolve("serving.properties"));
        assertTrue(props.contains("blockFactory=ai.djl.basicmodelzoo.basic.MlpBlockFactory"));
        assertTrue(props.contains("hidden=64,64,64"));
        assertTrue(props.contains("translator=de.nnkurs.serving.DigitServingTranslator"));
    }

    @Test
    void zipHoldsTheFolderFilesAtItsTopLevel() throws IOException {
        // No top-level folder: DJL Serving then removes the whole unpacked copy when the model is
        // unregistered, and the same zip can be registered again.
        try (ZipFile zip = new ZipFile(ExportedMnist.zip().toFile())) {
            List<String> names = zip.stream().map(e -> e.getName()).sorted().toList();
            assertEquals(
                    List.of(
                            "libs/nnkurs-serving.jar",
                            "metadata.json",
                            "mnist-0001.params",
                            "serving.properties"),
                    names);
        }
    }

    @Test
    void servingFolderAnswersLikeTheTrainedModelFromAnIsolatedClassLoader() throws Exception {
        assertServedLikeInProcess(ExportedMnist.folder());
    }

    @Test
    void servingZipAnswersLikeTheTrainedModelFromAnIsolatedClassLoader() throws Exception {
        assertServedLikeInProcess(ExportedMnist.zip());
    }

    @Test
    void failedExportLeavesThePreviousExportUntouched() throws IOException {
        Path root = tmp.resolve("serving");
        Path trained = tmp.resolve("mnist");
        copyTree(ExportedMnist.TRAINED, trained);
        ServingFolder.export(trained, root);
        byte[] params = Files.readAllBytes(root.resolve("mnist").resolve("mnist-0001.params"));
        byte[] zip = Files.readAllBytes(ServingFolder.zipFor(root.resolve("mnist")));

        Path paramFile = trained.resolve("mnist-0001.params");
        Files.write(paramFile, new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> ServingFolder.export(trained, root));

        assertArrayEquals(
                params, Files.readAllBytes(root.resolve("mnist").resolve("mnist-0001.params")));
        assertArrayEquals(zip, Files.readAllBytes(ServingFolder.zipFor(root.resolve("mnist"))));
        assertEquals(
                List.of("mnist"), ExportedMnist.files(root), "the store holds model folders only");
    }

    @Test
    void aZipReExportedUnderTheSamePathIsLoadedWithItsNewWeights() throws Exception {
        Path root = tmp.resolve("serving");
        Path trained = tmp.resolve("mnist");
        copyTree(ExportedMnist.TRAINED, trained);
        ServingFolder.export(trained, root);
        double before = probabilityOfThree(ServingFolder.zipFor(root.resolve("mnist")));

        // Same model with a much larger bias for digit 3, saved and exported to the same paths.
        try (Model model = ModelFolder.load(trained)) {
            NDArray bias = StateDict.parameters(model.getBlock()).get("6.bias").getArray();
            bias.set(new NDIndex("3"), bias.getFloat(3) + 5f);
            ModelFolder.save(model, trained, ModelFolder.readMetadata(trained));
        }
        ServingFolder.export(trained, root);
        double after = probabilityOfThree(ServingFolder.zipFor(root.resolve("mnist")));
        assertTrue(after > before, "P(3) before " + before + ", after " + after);
    }

    private static double probabilityOfThree(Path zip) throws Exception {
        try (DigitClassifier classifier = DigitClassifier.open(zip)) {
            return classifier.predict(DigitImages.of(mnist.test(), 0)).probabilities().get(3);
        }
    }

    @Test
    void exportingIntoTheTrainedModelsOwnFolderIsRefused() throws IOException {
        Path trained = tmp.resolve("models").resolve("mnist");
        copyTree(ExportedMnist.TRAINED, trained);
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> ServingFolder.export(trained, trained.getParent()));
        assertTrue(
                e.getMessage().contains("would replace the trained model itself"), e.getMessage());
        assertTrue(Files.exists(trained.resolve("metadata.json")));
        assertTrue(!Files.exists(trained.resolve("serving.properties")));
    }

    @Test
    void aRenamedCopyExportsUnderItsOwnName() throws IOException {
        Path copy = tmp.resolve("mnist-backup");
        copyTree(ExportedMnist.TRAINED, copy);
        Path folder = ServingFolder.export(copy, tmp.resolve("serving"));
        assertEquals("mnist-backup", folder.getFileName().toString());
        assertTrue(Files.exists(folder.resolve("mnist-backup-0001.params")));
        assertTrue(
                Files.readString(folder.resolve("serving.properties"))
                        .contains("option.modelName=mnist-backup"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : ExportedMnist.files(from)) {
            Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Sends all test images as PNG to a separate JVM that loads the model as DJL Serving does. */
    private void assertServedLikeInProcess(Path model) throws Exception {
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < mnist.test().count(); i++) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(DigitImages.of(mnist.test(), i), "png", png);
            pngs.add(png.toByteArray());
        }
        List<String> lines = IsolatedServing.answers(model, pngs, tmp);
        assertEquals(mnist.test().count(), lines.size());
        double worst = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonArray top = JsonParser.parseString(lines.get(i)).getAsJsonArray();
            assertEquals(3, top.size());
            float[] expected = inProcess[i];
            int argmax = 0;
            for (int k = 1; k < expected.length; k++) {
                if (expected[k] > expected[argmax]) {
                    argmax = k;
                }
            }
            JsonObject first = top.get(0).getAsJsonObject();
            assertEquals(
                    Integer.toString(argmax), first.get("className").getAsString(), "image " + i);
            for (JsonElement e : top) {
                JsonObject c = e.getAsJsonObject();
                int digit = Integer.parseInt(c.get("className").getAsString());
                worst =
                        Math.max(
                                worst,
                                Math.abs(c.get("probability").getAsDouble() - expected[digit]));
            }
        }
        assertTrue(worst <= 1e-5, "largest probability difference " + worst);
    }
}
