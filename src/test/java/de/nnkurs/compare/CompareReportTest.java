package de.nnkurs.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.data.InvalidDataException;
import de.nnkurs.training.EpochResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/** The side-by-side report: its statistics, its verdicts and its files. */
class CompareReportTest {

    @TempDir Path tmp;

    private static RunRecord record(
            String side, String optimizer, List<Float> losses, int[] predictions) {
        return new RunRecord(
                side,
                optimizer,
                "slides",
                256,
                0.003,
                losses,
                List.of(new EpochResult(1, 1.5, 0.9, 2.0)),
                predictions,
                0.9,
                500.0,
                Map.of("v", "1"));
    }

    private static List<Float> losses(int n, float offsetAfter50) {
        List<Float> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(2f - i * 0.001f + (i >= 50 ? offsetAfter50 : 0f));
        }
        return l;
    }

    @Test
    void differencesAreAbsoluteAndPerStep() {
        RunRecord a = record("java", "adam", List.of(1f, 2f, 3f), new int[0]);
        RunRecord b = record("python", "adam", List.of(1.5f, 2f, 2f), new int[0]);
        assertEquals(List.of(0.5, 0.0, 1.0), CompareReport.differences(a, b));
    }

    @Test
    void windowTakesMaxAndMeanOfTheFirstSteps() {
        CompareReport.Window w = CompareReport.window(List.of(1.0, 3.0, 100.0), 2);
        assertEquals(new CompareReport.Window(2, 3.0, 2.0), w);
        assertEquals(3, CompareReport.window(List.of(1.0, 3.0, 100.0), 50).steps());
    }

    @Test
    void agreementIsTheShareOfEqualPredictions() {
        RunRecord a = record("java", "adam", List.of(), new int[] {1, 2, 3, 4});
        RunRecord b = record("python", "adam", List.of(), new int[] {1, 2, 0, 4});
        assertEquals(0.75, CompareReport.agreement(a, b));
    }

    @Test
    void reportStatesWhichTargetsAreMetAndWritesThePlot() throws IOException {
        record("python", "adam", losses(120, 0f), new int[] {1, 2})
                .write(tmp.resolve("python.json"));
        record("java", "adam", losses(120, 0.01f), new int[] {1, 2})
                .write(tmp.resolve("java-adam.json"));
        record("java", "djl-adam", losses(120, 0.1f), new int[] {1, 3})
                .write(tmp.resolve("java-djl-adam.json"));
        String md = CompareReport.write(tmp);
        assertTrue(md.contains("- met: max \\|Δloss\\| ≤ 1e-5 over the first 50 steps"), md);
        assertTrue(
                md.contains("- **not met**: max \\|Δloss\\| ≤ 1e-3 over the first 100 steps"), md);
        assertTrue(
                md.contains("| test predictions equal to Python's | — | 100.00 % | 50.00 % |"), md);
        assertEquals(md, Files.readString(tmp.resolve("report.md")));
        BufferedImage png = ImageIO.read(tmp.resolve("loss.png").toFile());
        assertTrue(png.getWidth() >= 800 && png.getHeight() >= 600);
    }

    @Test
    void aMissingRecordIsNamed() {
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> CompareReport.write(tmp));
        assertTrue(e.getMessage().contains("python.json: no such file"), e.getMessage());
    }
}
