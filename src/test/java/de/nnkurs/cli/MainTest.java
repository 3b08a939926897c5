package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.export.ModelMetadata;
import de.nnkurs.export.ModelFolder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The command line: exit codes, one-line errors, and what {@code train} writes. */
class MainTest extends CommandLineTest {

    @TempDir Path tmp;

    private Path tinyData() throws IOException {
        return tinyData(tmp);
    }

    @Test
    void zeroEpochsIsAUsageError() {
        assertEquals(2, run("train", "--epochs", "0", "--data-dir", tmp.toString()));
        assertOneLineError("--epochs must be at least 1, got 0");
    }

    @Test
    void negativeBatchSizeIsAUsageError() {
        assertEquals(2, run("train", "--batch-size", "-1", "--data-dir", tmp.toString()));
        assertOneLineError("--batch-size must be at least 1, got -1");
    }

    @Test
    void nonPositiveLearningRateIsAUsageError() {
        assertEquals(2, run("train", "--lr", "0", "--data-dir", tmp.toString()));
        assertOneLineError("--lr must be a positive number");
    }

    @Test
    void threadsOutsideTheRangeIsAUsageError() {
        assertEquals(2, run("--threads", "0", "train", "--data-dir", tmp.toString()));
        assertOneLineError("--threads must be in 1..256, got 0");
    }

    @Test
    void threadsSetsLibtorchsThreadCountForTheRun() {
        String before = System.getProperty("ai.djl.pytorch.num_threads");
        try {
            run("--threads", "3", "train", "--epochs", "0");
            assertEquals("3", System.getProperty("ai.djl.pytorch.num_threads"));
        } finally {
            System.setProperty("ai.djl.pytorch.num_threads", before);
        }
    }

    @Test
    void missingDataDirIsAUsageError() {
        Path missing = tmp.resolve("nowhere");
        assertEquals(2, run("train", "--data-dir", missing.toString()));
        assertOneLineError("--data-dir " + missing + ": no such folder");
    }

    @Test
    void nonNumericEpochsIsAUsageError() {
        assertEquals(2, run("train", "--epochs", "two"));
        assertOneLineError("two");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(2, run("train", "--epoch", "3"));
        assertOneLineError("--epoch");
    }

    @Test
    void noCommandIsAUsageErrorListingEveryCommand() {
        assertEquals(2, run());
        assertOneLineError("missing command");
        // The commands the README lists, one line each.
        for (String command :
                List.of(
                        "train",
                        "export",
                        "predict",
                        "evaluate",
                        "serve",
                        "dying-relu",
                        "weights",
                        "fetch-data",
                        "compare-report",
                        "bench")) {
            assertTrue(err.toString().contains(command), command + " missing in: " + err);
        }
    }

    @Test
    void malformedDataFileFailsWithOneLineNamingTheFile() throws IOException {
        Path data = tinyData();
        Path labels = data.resolve("train-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[8 + 40] = 12;
        Files.write(labels, bytes);
        assertEquals(1, run("train", "--dry-run", "--data-dir", data.toString()));
        assertOneLineError(labels + ": label 12 at index 40 is outside 0..9");
    }

    @Test
    void helpShowsTheLessonDefaults() {
        assertEquals(0, run("train", "--help"));
        String help = out.toString();
        for (String d : new String[] {"(default: 2)", "(default: 256)", "(default: 0.003)"}) {
            assertTrue(help.contains(d), d + " in\n" + help);
        }
    }

    @Test
    void dryRunTrainsAFewBatchesAndSavesNothing() throws IOException {
        Path output = tmp.resolve("models").resolve("dry");
        int code =
                run(
                        "train",
                        "--dry-run",
                        "--data-dir",
                        tinyData().toString(),
                        "--output",
                        output.toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("Dry run: model not saved."), out.toString());
        assertFalse(Files.exists(output));
    }

    @Test
    void trainPrintsOneLinePerEpochAndSavesTheModelFolder() throws IOException {
        Path output = tmp.resolve("models").resolve("tiny");
        int code =
                run(
                        "train",
                        "--epochs",
                        "2",
                        "--seed",
                        "3",
                        "--data-dir",
                        tinyData().toString(),
                        "--output",
                        output.toString());
        assertEquals(0, code, err.toString());
        assertEquals(2, out.toString().lines().filter(l -> l.startsWith("epoch ")).count());
        assertTrue(Files.isRegularFile(output.resolve("tiny-0002.params")));
        ModelMetadata meta = ModelFolder.readMetadata(output);
        assertEquals("slides", meta.variant());
        assertEquals(3, meta.seed());
        assertEquals(2, meta.history().size());
        String printed = String.format(Locale.ROOT, "%.4f", meta.testAccuracy());
        assertTrue(
                out.toString().contains("Test accuracy after 2 epoch(s): " + printed),
                out.toString());
        assertEquals(4, meta.dataSha256().size());
    }

    @Test
    void logitsFlagTrainsTheLogitsVariant() throws IOException {
        Path output = tmp.resolve("models").resolve("lg");
        int code =
                run(
                        "train",
                        "--logits",
                        "--epochs",
                        "1",
                        "--data-dir",
                        tinyData().toString(),
                        "--output",
                        output.toString());
        assertEquals(0, code, err.toString());
        assertEquals("logits", ModelFolder.readMetadata(output).variant());
    }

    @Test
    void trainRefusesToReplaceAFolderThatIsNotAModel() throws IOException {
        Path precious = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(precious.resolve("notes.txt"), "keep");
        int code =
                run(
                        "train",
                        "--epochs",
                        "1",
                        "--data-dir",
                        tinyData().toString(),
                        "--output",
                        precious.toString());
        assertEquals(2, code);
        assertOneLineError("is not a model folder (it holds notes.txt); not replacing it");
        assertEquals("keep", Files.readString(precious.resolve("notes.txt")));
    }

    @Test
    void aFolderWithAMetadataFileAndOtherFilesIsNotAModelEither() throws IOException {
        // A project folder that happens to hold a metadata.json must not be taken for a model.
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Files.writeString(project.resolve("metadata.json"), "{\"project\": 1}");
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/main.c"), "int main() {}");
        Files.writeString(project.resolve("notes.txt"), "n");
        int code =
                run(
                        "train",
                        "--max-batches",
                        "2",
                        "--epochs",
                        "1",
                        "--data-dir",
                        tinyData().toString(),
                        "--output",
                        project.toString());
        assertEquals(2, code, out.toString());
        assertOneLineError(
                project + ": exists and is not a model folder (it holds notes.txt, src)");
        assertEquals("int main() {}", Files.readString(project.resolve("src/main.c")));
        assertEquals("n", Files.readString(project.resolve("notes.txt")));
    }

    @Test
    void anOutputThatCannotBeWrittenIsAUsageErrorBeforeTraining() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals(
                2,
                run(
                        "train",
                        "--data-dir",
                        tinyData().toString(),
                        "--output",
                        file.resolve("m").toString()));
        assertOneLineError("cannot write there");
        assertFalse(out.toString().contains("epoch 1"), out.toString());
    }

    @Test
    void aDivergedRunDoesNotReplaceTheModelThatWasThere() throws IOException {
        Path model = tmp.resolve("diverged");
        String[] common = {"--logits", "--epochs", "1", "--max-batches", "3", "--data-dir"};
        // First a working model …
        List<String> good = new ArrayList<>(List.of("train"));
        good.addAll(List.of(common));
        good.addAll(List.of(tinyData().toString(), "--output", model.toString()));
        assertEquals(0, run(good.toArray(String[]::new)), err.toString());
        String before = Files.readString(model.resolve("metadata.json"));
        // … then a run whose loss becomes NaN, into the same folder.
        List<String> bad = new ArrayList<>(good);
        bad.addAll(List.of("--optimizer", "sgd", "--lr", "1e30", "--loss", "mse"));
        err.getBuffer().setLength(0);
        assertEquals(1, run(bad.toArray(String[]::new)));
        assertOneLineError(": not saved: the loss diverged at epoch 1, step ");
        assertEquals(before, Files.readString(model.resolve("metadata.json")), "the model stays");
    }

    @Test
    void aDivergedDryRunFailsToo() throws IOException {
        assertEquals(
                1,
                run(
                        "train",
                        "--dry-run",
                        "--logits",
                        "--optimizer",
                        "sgd",
                        "--lr",
                        "1e30",
                        "--loss",
                        "mse",
                        "--data-dir",
                        tinyData().toString()));
        assertOneLineError(": not saved: the loss diverged at epoch 1, step ");
    }

    @Test
    void aDataDirThatIsAFileIsNotAFolder() throws IOException {
        Path file = Files.writeString(tmp.resolve("README.md"), "x");
        assertEquals(2, run("train", "--data-dir", file.toString()));
        assertOneLineError("--data-dir " + file + ": not a folder");
    }

    @Test
    void aMistypedChoiceIsOneCleanLine() {
        assertEquals(2, run("train", "--optimizer", "adamw"));
        assertOneLineError("unknown optimizer 'adamw', choose one of");
        assertFalse(err.toString().contains("java.lang"), err.toString());
    }

    @Test
    void verboseShowsTheCauseChainOfAnError() throws IOException {
        Path data = tinyData();
        Path labels = data.resolve("train-labels-idx1-ubyte");
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, (byte) 0xff, (byte) 0xff, 1, 2};
        Files.write(data.resolve("train-labels-idx1-ubyte.gz"), gzip);
        Files.delete(labels);
        assertEquals(1, run("train", "--dry-run", "--data-dir", data.toString()));
        assertOneLineError(labels + ".gz: corrupt gzip data");
        err.getBuffer().setLength(0);
        assertEquals(1, run("--verbose", "train", "--dry-run", "--data-dir", data.toString()));
        assertTrue(
                err.toString().contains("Caused by: java.util.zip.ZipException"), err.toString());
    }

    @Test
    void verboseDoesNotCarryOverToTheNextRun() throws IOException {
        Path data = tinyData();
        Path labels = data.resolve("train-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[8] = 12;
        Files.write(labels, bytes);
        run("--verbose", "train", "--dry-run", "--data-dir", data.toString());
        assertTrue(err.toString().lines().count() > 1, "stack trace with --verbose");
        err.getBuffer().setLength(0);
        assertEquals(1, run("train", "--dry-run", "--data-dir", data.toString()));
        assertOneLineError("label 12 at index 0 is outside 0..9");
    }
}
