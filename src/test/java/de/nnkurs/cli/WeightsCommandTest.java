package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import de.nnkurs.ExportedMnist;
import de.nnkurs.Fixtures;
import de.nnkurs.MnistSlice;
import de.nnkurs.export.ModelFolder;
import de.nnkurs.model.StateDict;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code weights export} and {@code weights import}: a bit-exact round trip, clear errors. */
class WeightsCommandTest extends CommandLineTest {

    @TempDir Path tmp;

    @Test
    void exportThenImportGivesBitIdenticalWeightsAndTheSameAccuracy() throws IOException {
        ExportedMnist.folder();
        for (String ext : new String[] {"npz", "safetensors"}) {
            Path file = tmp.resolve("w." + ext);
            Path model = tmp.resolve("imported-" + ext);
            assertEquals(
                    0,
                    run(
                            "weights",
                            "export",
                            "--model",
                            ExportedMnist.TRAINED.toString(),
                            "--output",
                            file.toString()),
                    err.toString());
            assertEquals(
                    0,
                    run(
                            "weights",
                            "import",
                            file.toString(),
                            "--output",
                            model.toString(),
                            "--data-dir",
                            MnistSlice.dir().toString()),
                    err.toString());
            try (Model a = ModelFolder.load(ExportedMnist.TRAINED);
                    Model b = ModelFolder.load(model)) {
                for (String name : StateDict.parameters(a.getBlock()).keySet()) {
                    assertArrayEquals(
                            StateDict.parameters(a.getBlock()).get(name).getArray().toByteArray(),
                            StateDict.parameters(b.getBlock()).get(name).getArray().toByteArray(),
                            ext + " " + name);
                }
            }
            assertEquals(
                    ModelFolder.readMetadata(ExportedMnist.TRAINED).testAccuracy(),
                    ModelFolder.readMetadata(model).testAccuracy());
        }
    }

    @Test
    void importingAnUnreadableWeightsFileFailsWithOneLineAndWritesNothing() throws IOException {
        Path file =
                Files.write(tmp.resolve("w.npz"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0});
        assertEquals(
                1,
                run(
                        "weights",
                        "import",
                        file.toString(),
                        "--output",
                        tmp.resolve("m").toString(),
                        "--data-dir",
                        MnistSlice.dir().toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains(file.toString()), err.toString());
        assertTrue(!Files.exists(tmp.resolve("m")));
    }

    @Test
    void importingBfloat16SafetensorsReadsThemInsteadOfAbortingTheJvm() throws IOException {
        // DJL's decoder aborted the whole JVM on BF16 ("terminate called without an active
        // exception", exit 134); the weights are the upper halves of float32s, widened exactly.
        Path model = tmp.resolve("bf16");
        assertEquals(
                0,
                run(
                        "weights",
                        "import",
                        Fixtures.path("formats/bf16_state_dict.safetensors").toString(),
                        "--hidden",
                        "8,8,8",
                        "--output",
                        model.toString(),
                        "--data-dir",
                        MnistSlice.dir().toString()),
                err.toString());
        try (Model m = ModelFolder.load(model);
                NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> expected =
                    Fixtures.npz("formats/bf16_state_dict_expected.npz", manager);
            for (String name : expected.keySet()) {
                assertArrayEquals(
                        expected.get(name).toFloatArray(),
                        StateDict.parameters(m.getBlock()).get(name).getArray().toFloatArray(),
                        name);
            }
        }
    }

    @Test
    void aWeightsFileWithoutAKnownExtensionIsAUsageError() {
        assertEquals(
                2,
                run(
                        "weights",
                        "export",
                        "--model",
                        tmp.toString(),
                        "--output",
                        tmp.resolve("w.bin").toString()));
        assertTrue(
                err.toString().contains("weights files end in .npz or .safetensors"),
                err.toString());
    }

    @Test
    void weightsOfAnotherArchitectureImportWithItsHiddenWidthsAndActivation() throws IOException {
        Path data = tmp.resolve("data");
        de.nnkurs.data.IdxFixtures.writeMnistFolder(data, 300, 100, false);
        Path trained = tmp.resolve("tanh");
        assertEquals(
                0,
                run(
                        "train",
                        "--activation",
                        "tanh",
                        "--hidden",
                        "32",
                        "--epochs",
                        "1",
                        "--data-dir",
                        data.toString(),
                        "--output",
                        trained.toString()),
                err.toString());
        Path file = tmp.resolve("tanh.npz");
        assertEquals(
                0,
                run(
                        "weights",
                        "export",
                        "--model",
                        trained.toString(),
                        "--output",
                        file.toString()),
                err.toString());
        Path imported = tmp.resolve("imported");
        assertEquals(
                0,
                run(
                        "weights",
                        "import",
                        file.toString(),
                        "--hidden",
                        "32",
                        "--activation",
                        "tanh",
                        "--data-dir",
                        data.toString(),
                        "--output",
                        imported.toString()),
                err.toString());
        assertEquals("784-32-10", ModelFolder.readMetadata(imported).architecture());
        assertEquals("tanh", ModelFolder.readMetadata(imported).activation());
        assertEquals(
                ModelFolder.readMetadata(trained).testAccuracy(),
                ModelFolder.readMetadata(imported).testAccuracy());
    }

    @Test
    void aMissingDataDirIsAUsageErrorAndNothingIsFetched() throws IOException {
        Path file = tmp.resolve("w.npz");
        ExportedMnist.folder();
        run(
                "weights",
                "export",
                "--model",
                ExportedMnist.TRAINED.toString(),
                "--output",
                file.toString());
        Path typo = tmp.resolve("typo");
        assertEquals(
                2,
                run(
                        "weights",
                        "import",
                        file.toString(),
                        "--data-dir",
                        typo.toString(),
                        "--output",
                        tmp.resolve("m").toString()));
        assertTrue(
                err.toString().contains("--data-dir " + typo + ": no such folder"), err.toString());
        assertTrue(!Files.exists(typo));
    }

    @Test
    void aFolderAtTheOutputOfWeightsExportOrBenchIsRefusedNamingIt() throws IOException {
        Path folder = java.nio.file.Files.createDirectories(tmp.resolve("w.npz"));
        assertEquals(
                2,
                run(
                        "weights",
                        "export",
                        "--model",
                        tmp.toString(),
                        "--output",
                        folder + "/"));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("--output " + folder + ": is a folder"), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(
                2,
                run(
                        "bench",
                        "--output",
                        folder.toString(),
                        "--data-dir",
                        tmp.resolve("no-data").toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("--output " + folder + ": is a folder"), err.toString());
    }
}
