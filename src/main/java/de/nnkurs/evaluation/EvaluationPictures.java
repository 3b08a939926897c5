package de.nnkurs.evaluation;

import de.nnkurs.Lesson;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.io.AtomicFile;
import de.nnkurs.plot.Charts;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * Draws a confusion matrix as a heat map (with XChart) and digits with their predictions as a grid
 * of plain images.
 */
public final class EvaluationPictures {

    /** Width and height of the confusion-matrix picture. */
    static final int MATRIX_PICTURE = 700;

    /** Tiles per row in the grid of misclassified digits. */
    static final int COLUMNS = 10;

    /** Magnification of each 28×28 digit. */
    static final int SCALE = 3;

    /** Left edge of the first tile. */
    static final int GRID_LEFT = 20;

    /** Top edge of the first tile. */
    static final int GRID_TOP = 64;

    /** Width of a tile: the magnified digit, centred, and some air. */
    static final int TILE_WIDTH = Lesson.IMAGE_SIDE * SCALE + 16;

    /** Height of a tile: the magnified digit at its top, then the caption and the index. */
    static final int TILE_HEIGHT = Lesson.IMAGE_SIDE * SCALE + 44;

    private static final int DIGIT = Lesson.IMAGE_SIDE * SCALE;
    private static final int MIN_WIDTH = 480;

    private static final Color PALE_BLUE = new Color(222, 235, 247);
    private static final Color LIGHT_BLUE = new Color(158, 202, 225);
    private static final Color MID_BLUE = new Color(66, 146, 198);
    private static final Color WRONG = new Color(200, 30, 30);

    private EvaluationPictures() {}

    /**
     * Writes a confusion matrix as a heat map: each cell shows its share of the true digit's row
     * and is shaded by it.
     *
     * @param m the matrix
     * @param png the file to write
     * @param title the title line
     * @throws IOException if writing fails
     */
    public static void confusionMatrix(ConfusionMatrix m, Path png, String title)
            throws IOException {
        Charts.writePng(Charts.image(confusionMatrixChart(m, title)), png);
    }

    /**
     * Returns a confusion matrix as an XChart heat map, e.g. for a notebook.
     *
     * @param m the matrix
     * @param title the title, followed by the accuracy
     * @return the chart: x the predicted digit, y the true digit (0 at the top), each cell shaded
     *     and labelled with its share of the true digit's row
     */
    public static HeatMapChart confusionMatrixChart(ConfusionMatrix m, String title) {
        int n = m.classes();
        HeatMapChart chart =
                new HeatMapChartBuilder()
                        .width(MATRIX_PICTURE)
                        .height(MATRIX_PICTURE)
                        .title(
                                String.format(
                                        Locale.ROOT,
                                        "%s: accuracy %s (%d of %d)",
                                        title,
                                        ConfusionMatrix.format(m.accuracy()),
                                        m.correct(),
                                        m.total()))
                        .xAxisTitle("predicted digit")
                        .yAxisTitle("true digit (cells: share of its row)")
                        .build();
        HeatMapStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(false);
        styler.setShowValue(true);
        styler.setMin(0);
        styler.setMax(1);
        // Light enough at the top that the black labels stay readable on the diagonal.
        styler.setRangeColors(new Color[] {Color.WHITE, PALE_BLUE, LIGHT_BLUE, MID_BLUE});
        styler.setValueFontColor(Color.BLACK);
        styler.setValueFont(new Font(Font.SANS_SERIF, Font.BOLD, n > 12 ? 9 : 12));
        styler.setHeatMapValueDecimalPattern("0%");
        styler.setLegendVisible(false);
        List<Integer> predicted = new ArrayList<>();
        List<Integer> actual = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            predicted.add(k);
            actual.add(n - 1 - k); // the first row on top, as in the printed table
        }
        List<Number[]> heat = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                heat.add(new Number[] {p, n - 1 - a, m.share(a, p)});
            }
        }
        chart.addSeries("share of the true digit's row", predicted, actual, heat);
        return chart;
    }

    /**
     * Writes a grid of the first {@code max} misclassified images, in index order.
     *
     * @param split the examples and their true labels
     * @param predicted one predicted digit per example
     * @param png the file to write
     * @param max the most tiles to show
     * @throws IllegalArgumentException if the number of predictions differs from the number of
     *     examples or {@code max} is negative
     * @throws IOException if writing fails
     */
    public static void misclassified(MnistSplit split, int[] predicted, Path png, int max)
            throws IOException {
        if (predicted.length != split.count()) {
            throw new IllegalArgumentException(
                    predicted.length + " predictions for " + split.count() + " images");
        }
        if (max < 0) {
            throw new IllegalArgumentException("max is " + max + ", must not be negative");
        }
        System.setProperty("java.awt.headless", "true");
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < split.count(); i++) {
            if (Byte.toUnsignedInt(split.labels()[i]) != predicted[i]) {
                wrong.add(i);
            }
        }
        List<Integer> shown = wrong.subList(0, Math.min(max, wrong.size()));
        String title =
                String.format(
                        Locale.ROOT,
                        "%d of %d test images misclassified, showing %d",
                        wrong.size(),
                        split.count(),
                        shown.size());
        write(grid(split, predicted, shown, title, "no misclassified images"), png);
    }

    /**
     * Returns a grid of the first {@code n} examples, each captioned with its prediction; a wrong
     * one is captioned {@code true → predicted} with the prediction in red.
     *
     * @param split the examples and their true labels
     * @param predicted one predicted digit per example
     * @param n how many examples, from the first
     * @return the picture, e.g. for a notebook's {@code display}
     */
    public static BufferedImage predictions(MnistSplit split, int[] predicted, int n) {
        if (predicted.length != split.count()) {
            throw new IllegalArgumentException(
                    predicted.length + " predictions for " + split.count() + " images");
        }
        List<Integer> shown = new ArrayList<>();
        int wrong = 0;
        for (int i = 0; i < Math.min(n, split.count()); i++) {
            shown.add(i);
            wrong += Byte.toUnsignedInt(split.labels()[i]) != predicted[i] ? 1 : 0;
        }
        String title =
                String.format(
                        Locale.ROOT,
                        "the first %d test images: %d predicted right, %d wrong",
                        shown.size(),
                        shown.size() - wrong,
                        wrong);
        return grid(split, predicted, shown, title, "no images");
    }

    private static BufferedImage grid(
            MnistSplit split, int[] predicted, List<Integer> shown, String title, String none) {
        System.setProperty("java.awt.headless", "true");
        int columns = Math.min(shown.size(), COLUMNS);
        int rows = (shown.size() + COLUMNS - 1) / COLUMNS;
        int width = Math.max(MIN_WIDTH, 2 * GRID_LEFT + columns * TILE_WIDTH);
        int height = GRID_TOP + (rows == 0 ? 60 : rows * TILE_HEIGHT) + GRID_LEFT;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            Font caption = new Font(Font.SANS_SERIF, Font.BOLD, 15);
            String arrow = caption.canDisplay('→') ? " → " : " -> ";
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, GRID_LEFT, 28);
            if (shown.isEmpty()) {
                g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 15));
                centred(g, none, width / 2, GRID_TOP + 30);
            } else {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                g.drawString(
                        "caption: true"
                                + arrow
                                + "predicted (red) where wrong, #index in the split",
                        GRID_LEFT,
                        48);
            }
            for (int t = 0; t < shown.size(); t++) {
                int i = shown.get(t);
                int x = GRID_LEFT + (t % COLUMNS) * TILE_WIDTH + (TILE_WIDTH - DIGIT) / 2;
                int y = GRID_TOP + (t / COLUMNS) * TILE_HEIGHT;
                g.drawImage(DigitImages.of(split, i), x, y, DIGIT, DIGIT, null);
                tileCaption(
                        g,
                        caption,
                        arrow,
                        split.labels()[i],
                        predicted[i],
                        x + DIGIT / 2,
                        y + DIGIT + 18);
                g.setColor(Color.GRAY);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                centred(g, "#" + i, x + DIGIT / 2, y + DIGIT + 32);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    // "4 → 9" centred on x, the wrong prediction in red; a right one is just "7".
    private static void tileCaption(
            Graphics2D g, Font font, String arrow, byte label, int predicted, int x, int y) {
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        if (Byte.toUnsignedInt(label) == predicted) {
            g.setColor(Color.BLACK);
            centred(g, Integer.toString(predicted), x, y - (fm.getAscent() - fm.getDescent()) / 2);
            return;
        }
        String truth = Integer.toString(Byte.toUnsignedInt(label)) + arrow;
        String guess = Integer.toString(predicted);
        int left = x - (fm.stringWidth(truth) + fm.stringWidth(guess)) / 2;
        g.setColor(Color.BLACK);
        g.drawString(truth, left, y);
        g.setColor(WRONG);
        g.drawString(guess, left + fm.stringWidth(truth), y);
    }

    private static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    // Centres text horizontally on x and vertically on y.
    private static void centred(Graphics2D g, String text, int x, int y) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(
                text, x - fm.stringWidth(text) / 2, y + (fm.getAscent() - fm.getDescent()) / 2);
    }

    private static void write(BufferedImage image, Path png) throws IOException {
        AtomicFile.write(png, out -> ImageIO.write(image, "png", out));
    }
}
