package de.nnkurs.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.Lesson;
import de.nnkurs.data.MnistSplit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import javax.imageio.ImageIO;

/** The heat map of a confusion matrix and the grid of misclassified digits. */
class EvaluationPicturesTest {

    @TempDir Path tmp;

    private static BufferedImage read(Path png) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " was not written");
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, png + " is not a readable image");
        return image;
    }

    /** A split whose image {@code i} has every pixel set to {@code fill(i)}. */
    private static MnistSplit split(int[] labels, IntUnaryOperator fill) {
        byte[] pixels = new byte[labels.length * Lesson.INPUT];
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            bytes[i] = (byte) labels[i];
            Arrays.fill(
                    pixels, i * Lesson.INPUT, (i + 1) * Lesson.INPUT, (byte) fill.applyAsInt(i));
        }
        return new MnistSplit(labels.length, pixels, bytes);
    }

    /** Labels of {@code count} images, and predictions that get the first {@code wrong} wrong. */
    private static int[][] labelsAndPredictions(int count, int wrong) {
        int[] labels = new int[count];
        int[] predicted = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
            predicted[i] = i < wrong ? (i + 3) % 10 : i % 10;
        }
        return new int[][] {labels, predicted};
    }

    private static BufferedImage grid(Path png, int count, int wrong, int max) throws IOException {
        int[][] lp = labelsAndPredictions(count, wrong);
        EvaluationPictures.misclassified(split(lp[0], i -> 128), lp[1], png, max);
        return read(png);
    }

    @Test
    void confusionMatrixIsAboutSevenHundredPixelsSquare() throws IOException {
        Path png = tmp.resolve("confusion.png");
        int[][] lp = labelsAndPredictions(200, 30);
        EvaluationPictures.confusionMatrix(ConfusionMatrix.of(lp[0], lp[1], 10), png, "test split");
        BufferedImage image = read(png);
        int w = image.getWidth();
        int h = image.getHeight();
        assertTrue(w >= 600 && w <= 800 && h >= 600 && h <= 800, w + "×" + h);
    }

    @Test
    void theHeatMapHoldsEachCellsShareOfItsTrueRowWithTheFirstRowOnTop() {
        // Class 0 is always right, class 1 always taken for a 2, class 2 never seen.
        ConfusionMatrix m =
                ConfusionMatrix.of(new int[] {0, 0, 0, 1, 1}, new int[] {0, 0, 0, 2, 2}, 3);
        HeatMapChart chart = EvaluationPictures.confusionMatrixChart(m, "three classes");
        HeatMapSeries series = chart.getHeatMapSeries();
        assertEquals(List.of(0, 1, 2), series.getXData(), "predicted digits left to right");
        assertEquals(List.of(2, 1, 0), series.getYData(), "true digits bottom to top: 0 on top");
        Map<String, Double> cells = new HashMap<>();
        for (Number[] cell : series.getHeatData()) {
            int predicted = cell[0].intValue();
            int actual = 2 - cell[1].intValue();
            cells.put(actual + "→" + predicted, cell[2].doubleValue());
        }
        assertEquals(9, cells.size());
        assertEquals(1.0, cells.get("0→0"));
        assertEquals(0.0, cells.get("0→1"));
        assertEquals(1.0, cells.get("1→2"), "the confusion 1 → 2 is the whole row");
        assertEquals(0.0, cells.get("1→1"));
        assertEquals(0.0, cells.get("2→2"), "a digit that never occurs has no share");
        assertTrue(chart.getTitle().contains("accuracy 0.6000 (3 of 5)"), chart.getTitle());
    }

    @Test
    void misclassifiedWithNoErrorsStillWritesAPicture() throws IOException {
        BufferedImage image = grid(tmp.resolve("none.png"), 20, 0, 50);
        assertTrue(image.getWidth() > 0 && image.getHeight() > 0);
    }

    @Test
    void misclassifiedGridGrowsWithTheNumberOfTilesUpToMax() throws IOException {
        BufferedImage three = grid(tmp.resolve("3.png"), 100, 30, 3);
        BufferedImage twelve = grid(tmp.resolve("12.png"), 100, 30, 12);
        BufferedImage thirty = grid(tmp.resolve("30.png"), 100, 30, 30);
        BufferedImage all = grid(tmp.resolve("all.png"), 100, 30, 1000);
        assertTrue(three.getWidth() < twelve.getWidth(), "a full row is wider than three tiles");
        assertTrue(three.getHeight() < twelve.getHeight(), "twelve tiles take a second row");
        assertTrue(twelve.getHeight() < thirty.getHeight(), "thirty tiles take a third row");
        assertEquals(thirty.getWidth(), all.getWidth(), "only the 30 errors are shown");
        assertEquals(thirty.getHeight(), all.getHeight(), "only the 30 errors are shown");
    }

    @Test
    void misclassifiedShowsAtMostMaxTiles() throws IOException {
        BufferedImage capped = grid(tmp.resolve("capped.png"), 100, 30, 15);
        BufferedImage exact = grid(tmp.resolve("exact.png"), 100, 15, 1000);
        assertEquals(exact.getWidth(), capped.getWidth());
        assertEquals(exact.getHeight(), capped.getHeight());
    }

    @Test
    void tilesFollowIndexOrderAndSkipCorrectImages() throws IOException {
        // Image 0 is right; 1 (black) and 2 (white) are wrong, so tile 0 is black, tile 1 white.
        MnistSplit split = split(new int[] {5, 5, 5}, i -> i == 1 ? 0 : 255);
        Path png = tmp.resolve("order.png");
        EvaluationPictures.misclassified(split, new int[] {5, 6, 7}, png, 10);
        BufferedImage image = read(png);
        int digit = Lesson.IMAGE_SIDE * EvaluationPictures.SCALE;
        int inset = (EvaluationPictures.TILE_WIDTH - digit) / 2;
        int y = EvaluationPictures.GRID_TOP + digit / 2;
        int x0 = EvaluationPictures.GRID_LEFT + inset + digit / 2;
        assertEquals(0x000000, image.getRGB(x0, y) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(x0 + EvaluationPictures.TILE_WIDTH, y) & 0xFFFFFF);
    }

    @Test
    void digitsAreMagnifiedWithCrispPixels() throws IOException {
        // A checkerboard digit: any smoothing would leave gray between its black and white squares.
        byte[] pixels = new byte[Lesson.INPUT];
        for (int p = 0; p < Lesson.INPUT; p++) {
            pixels[p] = (byte) ((p / Lesson.IMAGE_SIDE + p % Lesson.IMAGE_SIDE) % 2 == 0 ? 255 : 0);
        }
        MnistSplit split = new MnistSplit(1, pixels, new byte[] {4});
        Path png = tmp.resolve("crisp.png");
        EvaluationPictures.misclassified(split, new int[] {9}, png, 1);
        BufferedImage image = read(png);
        int scale = EvaluationPictures.SCALE;
        int left =
                EvaluationPictures.GRID_LEFT
                        + (EvaluationPictures.TILE_WIDTH - Lesson.IMAGE_SIDE * scale) / 2;
        int top = EvaluationPictures.GRID_TOP;
        for (int y = 0; y < Lesson.IMAGE_SIDE * scale; y++) {
            for (int x = 0; x < Lesson.IMAGE_SIDE * scale; x++) {
                int expected = (y / scale + x / scale) % 2 == 0 ? 0xFFFFFF : 0x000000;
                assertEquals(
                        expected,
                        image.getRGB(left + x, top + y) & 0xFFFFFF,
                        "pixel " + x + "," + y + " of the magnified digit");
            }
        }
    }

    @Test
    void misclassifiedRejectsPredictionsOfTheWrongLength() {
        MnistSplit split = split(new int[] {1, 2, 3}, i -> 0);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                EvaluationPictures.misclassified(
                                        split, new int[] {1, 2}, tmp.resolve("x.png"), 5));
        assertEquals("2 predictions for 3 images", e.getMessage());
    }
}
