package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.ExportedMnist;
import de.nnkurs.MnistSlice;
import de.nnkurs.export.ModelFolder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * {@code evaluate}: the served model's accuracy equals the trained one's, and the pictures exist.
 */
class EvaluateCommandTest extends CommandLineTest {

    @TempDir Path tmp;

    @Test
    void servedAccuracyEqualsTheTrainedModelsAndPicturesAreWritten() throws IOException {
        Path model = ExportedMnist.folder();
        int code =
                run(
                        "evaluate",
                        "--model",
                        model.toString(),
                        "--data-dir",
                        MnistSlice.dir().toString(),
                        "--output",
                        tmp.toString());
        assertEquals(0, code, err.toString());
        double trained = ModelFolder.readMetadata(ExportedMnist.TRAINED).testAccuracy();
        String expected =
                String.format(
                        Locale.ROOT,
                        "accuracy %.4f (%d of %d)",
                        trained,
                        Math.round(trained * MnistSlice.TEST),
                        MnistSlice.TEST);
        assertTrue(out.toString().contains(expected), expected + " in\n" + out);
        assertNotNull(ImageIO.read(tmp.resolve("confusion-matrix.png").toFile()));
        assertNotNull(ImageIO.read(tmp.resolve("misclassified.png").toFile()));
    }

    @Test
    void aMissingModelIsAUsageError() {
        assertEquals(2, run("evaluate", "--model", tmp.resolve("none").toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
    }

    @Test
    void anOutputThatIsAFileIsRefusedBeforeAnythingIsClassified() throws IOException {
        Path file = Files.writeString(tmp.resolve("results.txt"), "keep me");
        int code =
                run(
                        "evaluate",
                        "--model",
                        ExportedMnist.folder().toString(),
                        "--data-dir",
                        MnistSlice.dir().toString(),
                        "--output",
                        file.toString());
        assertEquals(2, code);
        assertEquals(
                "nnkurs evaluate: --output "
                        + file
                        + ": exists and is not a folder; the pictures go into a folder (see"
                        + " 'nnkurs evaluate --help')",
                err.toString().strip());
        assertEquals("", out.toString(), "nothing was classified");
        assertEquals("keep me", Files.readString(file));
    }
}
