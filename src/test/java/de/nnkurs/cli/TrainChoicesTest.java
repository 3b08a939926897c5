package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.export.ModelMetadata;
import de.nnkurs.export.ModelFolder;
import de.nnkurs.export.ServingFolder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** {@code train}'s design choices: activation, hidden widths, optimizer, loss, dead units. */
class TrainChoicesTest extends CommandLineTest {

    @TempDir Path tmp;

    private String data() throws IOException {
        return tinyData(tmp).toString();
    }

    private void assertOneLineUsageError(int code, String fragment) {
        assertEquals(2, code, err.toString());
        assertOneLineError(fragment);
    }

    @Test
    void momentumWithAlreluTrainsAndIsRecorded() throws IOException {
        Path model = tmp.resolve("alrelu");
        int code =
                run(
                        "train",
                        "--optimizer",
                        "momentum",
                        "--activation",
                        "alrelu",
                        "--epochs",
                        "1",
                        "--data-dir",
                        data(),
                        "--output",
                        model.toString());
        assertEquals(0, code, err.toString());
        ModelMetadata meta = ModelFolder.readMetadata(model);
        assertEquals("alrelu", meta.activation());
        assertEquals("momentum", meta.optimizer());
        assertEquals("cross-entropy", meta.loss());
        assertTrue(
                out.toString().contains("784-64-64-64-10 (alrelu, final Softmax)"), out.toString());
    }

    @Test
    void hiddenWidthsShapeTheNetworkAndSurviveSavingAndLoading() throws IOException {
        Path model = tmp.resolve("small");
        int code =
                run(
                        "train",
                        "--hidden",
                        "32,16",
                        "--activation",
                        "gelu",
                        "--epochs",
                        "1",
                        "--data-dir",
                        data(),
                        "--output",
                        model.toString());
        assertEquals(0, code, err.toString());
        assertEquals("784-32-16-10", ModelFolder.readMetadata(model).architecture());
        try (var loaded = ModelFolder.load(model)) {
            assertEquals(
                    784 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10,
                    de.nnkurs.model.Models.parameterCount(loaded.getBlock()));
        }
    }

    @Test
    void fullBatchGradientDescentTakesOneStepPerEpoch() throws IOException {
        Path record = tmp.resolve("gd.json");
        int code =
                run(
                        "train",
                        "--optimizer",
                        "gd",
                        "--lr",
                        "0.1",
                        "--epochs",
                        "3",
                        "--data-dir",
                        data(),
                        "--save-record",
                        record.toString(),
                        "--output",
                        tmp.resolve("gd").toString());
        assertEquals(0, code, err.toString());
        assertEquals(3, de.nnkurs.compare.RunRecord.read(record).stepLosses().size());
    }

    @Test
    void mseAndSlideCrossEntropyTrain() throws IOException {
        for (String loss : new String[] {"mse", "slide-ce"}) {
            Path model = tmp.resolve(loss);
            assertEquals(
                    0,
                    run(
                            "train",
                            "--loss",
                            loss,
                            "--epochs",
                            "1",
                            "--data-dir",
                            data(),
                            "--output",
                            model.toString()),
                    err.toString());
            assertEquals(loss, ModelFolder.readMetadata(model).loss());
        }
    }

    @Test
    void deadUnitsAreReportedAfterEachEpoch() throws IOException {
        int code =
                run(
                        "train",
                        "--report-dead-units",
                        "--epochs",
                        "2",
                        "--data-dir",
                        data(),
                        "--output",
                        tmp.resolve("m").toString());
        assertEquals(0, code, err.toString());
        assertEquals(
                2,
                out.toString()
                        .lines()
                        .filter(l -> l.contains("dead units per hidden layer"))
                        .count());
    }

    @Test
    void anUnknownActivationIsAUsageErrorListingTheChoices() {
        assertOneLineUsageError(
                run("train", "--activation", "softmax"), "choose one of sigmoid, tanh");
    }

    @Test
    void aHiddenWidthThatIsNotANumberIsAUsageError() {
        assertOneLineUsageError(
                run("train", "--hidden", "64,x"), "--hidden '64,x': 'x' is not a layer width");
    }

    @Test
    void hiddenWidthsSeparatedBySpacesAreAUsageErrorThatSaysCommaSeparated() {
        assertOneLineUsageError(
                run("train", "--hidden", "64 64"),
                "write the widths comma-separated, e.g. 64,64,64");
    }

    @Test
    void aHiddenWidthOfZeroIsAUsageError() {
        assertOneLineUsageError(
                run("train", "--hidden", "64,0"), "hidden layer width 0 is outside 1..4096");
    }

    @Test
    void slideCrossEntropyWithLogitsIsAUsageError() {
        assertOneLineUsageError(
                run("train", "--loss", "slide-ce", "--logits"), "needs the final Softmax");
    }

    @Test
    void anUnknownOptimizerIsAUsageError() {
        assertOneLineUsageError(
                run("train", "--optimizer", "rmsprop"),
                "choose one of adam, djl-adam, sgd, momentum, gd");
    }

    @Test
    void momentumOutsideZeroToOneIsAUsageError() {
        assertOneLineUsageError(
                run("train", "--momentum", "1.5"), "--momentum must be in [0, 1), got 1.5");
    }

    @Test
    void onlyReluModelsCanBeExportedForDjlServing() throws IOException {
        Path model = tmp.resolve("gelu");
        assertEquals(
                0,
                run(
                        "train",
                        "--activation",
                        "gelu",
                        "--epochs",
                        "1",
                        "--data-dir",
                        data(),
                        "--output",
                        model.toString()),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(
                1,
                run(
                        "export",
                        "--model",
                        model.toString(),
                        "--output",
                        tmp.resolve("serving").toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(
                err.toString().contains("MlpBlockFactory builds ReLU networks only"),
                err.toString());
    }

    @Test
    void anExportIntoTheRootFolderIsAUsageErrorNamingOutput() throws IOException {
        Path model = tmp.resolve("m");
        assertEquals(
                0,
                run("train", "--epochs", "1", "--data-dir", data(), "--output", model.toString()),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("export", "--model", model.toString(), "--output", "/"));
        assertOneLineError("--output /: the model store needs a parent folder");
    }

    @Test
    void exportAfterTrainingWritesTheServingFolderBesideTheModel() throws IOException {
        Path model = tmp.resolve("models").resolve("tiny");
        assertEquals(
                0,
                run(
                        "train",
                        "--epochs",
                        "1",
                        "--export",
                        "--data-dir",
                        data(),
                        "--output",
                        model.toString()),
                err.toString());
        Path served = tmp.resolve("models").resolve("serving").resolve("tiny");
        assertTrue(java.nio.file.Files.isRegularFile(served.resolve("serving.properties")));
        assertTrue(java.nio.file.Files.isRegularFile(ServingFolder.zipFor(served)));
    }

    @Test
    void moreThanSixteenHiddenLayersAreRefusedBeforeTraining() throws IOException {
        String widths = String.join(",", java.util.Collections.nCopies(17, "8"));
        int code = run("train", "--dry-run", "--hidden", widths, "--data-dir", data());
        assertOneLineUsageError(code, "--hidden has 17 layers, more than the 16 accepted");
        assertTrue(out.toString().isEmpty(), "nothing trained: " + out);
    }

    @Test
    void aDryRunRefusesANegativeEpochCountAsARealRunDoes() throws IOException {
        int code = run("train", "--dry-run", "--epochs", "-1", "--data-dir", data());
        assertOneLineUsageError(code, "--epochs must be at least 1, got -1");
        assertTrue(out.toString().isEmpty(), "nothing trained: " + out);
    }
}
