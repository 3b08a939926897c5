package de.nnkurs.evaluation;

import de.nnkurs.Lesson;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.io.AtomicFile;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/** Draws a confusion matrix as a heat map and the misclassified digits as a grid, as PNGs. */
public final class EvaluationPictures {

    /** Width and height of the confusion-matrix picture. */
    static final int MATRIX_PICTURE = 700;

    /** Left edge of the matrix's first column. */
    static final int MATRIX_LEFT = 70;

    /** Top edge of the matrix's first row. */
    static final int MATRIX_TOP = 76;

    /** Room for the cells; each is {@code MATRIX_SIDE / classes} pixels square. */
    static final int MATRIX_SIDE = 560;

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

    private static final Color DARK_BLUE = new Color(8, 48, 107);
    private static final Color GRID = new Color(215, 215, 215);
    private static final Color WRONG = new Color(200, 30, 30);
    private static final double[] BAR_TICKS = {0, 0.01, 0.1, 0.25, 0.5, 1};

    private EvaluationPictures() {}

    /**
     * Writes a confusion matrix as a heat map, each cell shaded by its share of the true row.
     *
     * @param m the matrix
     * @param png the file to write
     * @param title the title line
     * @throws IOException if writing fails
     */
    public static void confusionMatrix(ConfusionMatrix m, Path png, String title)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        int n = m.classes();
        int cell = MATRIX_SIDE / n;
        int side = cell * n;
        BufferedImage image =
                new BufferedImage(MATRIX_PICTURE, MATRIX_PICTURE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        try {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, MATRIX_LEFT, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(
                    String.format(
                            Locale.ROOT,
                            "accuracy %s (%d of %d)   shading: share of the true digit's row",
                            ConfusionMatrix.format(m.accuracy()),
                            m.correct(),
                            m.total()),
                    MATRIX_LEFT,
                    50);

            Font countFont = countFont(g, m, cell);
            for (int a = 0; a < n; a++) {
                for (int p = 0; p < n; p++) {
                    int x = MATRIX_LEFT + p * cell;
                    int y = MATRIX_TOP + a * cell;
                    double shade = shade(m.share(a, p));
                    g.setColor(blend(shade));
                    g.fillRect(x, y, cell, cell);
                    g.setColor(GRID);
                    g.drawRect(x, y, cell, cell);
                    int count = m.count(a, p);
                    // Zeros in gray: the few confusions that matter stand out from them.
                    g.setColor(shade > 0.5 ? Color.WHITE : count == 0 ? Color.GRAY : Color.BLACK);
                    g.setFont(countFont);
                    centred(g, Integer.toString(count), x + cell / 2, y + cell / 2);
                }
            }
            g.setColor(Color.BLACK);
            g.drawRect(MATRIX_LEFT, MATRIX_TOP, side, side);

            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            for (int k = 0; k < n; k++) {
                String digit = Integer.toString(k);
                int centre = k * cell + cell / 2;
                centred(g, digit, MATRIX_LEFT + centre, MATRIX_TOP + side + 16);
                FontMetrics fm = g.getFontMetrics();
                int y = MATRIX_TOP + centre + (fm.getAscent() - fm.getDescent()) / 2;
                g.drawString(digit, MATRIX_LEFT - 10 - fm.stringWidth(digit), y);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            centred(g, "predicted digit", MATRIX_LEFT + side / 2, MATRIX_TOP + side + 42);
            AffineTransform upright = g.getTransform();
            g.rotate(-Math.PI / 2);
            centred(g, "true digit", -(MATRIX_TOP + side / 2), 28);
            g.setTransform(upright);

            colourBar(g, MATRIX_LEFT + side + 14, side);
        } finally {
            g.dispose();
        }
        write(image, png);
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
                        "caption: true" + arrow + "predicted (red) where wrong, #index in the split",
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

    // The largest bold font up to 16 pt in which every count fits its cell with some air.
    private static Font countFont(Graphics2D g, ConfusionMatrix m, int cell) {
        int widest = 0;
        for (int a = 0; a < m.classes(); a++) {
            for (int p = 0; p < m.classes(); p++) {
                widest = Math.max(widest, Integer.toString(m.count(a, p)).length());
            }
        }
        String sample = "8".repeat(widest);
        for (int size = 16; size > 6; size--) {
            Font font = new Font(Font.SANS_SERIF, Font.BOLD, size);
            if (g.getFontMetrics(font).stringWidth(sample) <= cell - 8) {
                return font;
            }
        }
        return new Font(Font.SANS_SERIF, Font.BOLD, 6);
    }

    private static void colourBar(Graphics2D g, int left, int side) {
        int bottom = MATRIX_TOP + side;
        for (int y = 0; y < side; y++) {
            g.setColor(blend(1.0 - (y + 0.5) / side));
            g.drawLine(left, MATRIX_TOP + y, left + 14, MATRIX_TOP + y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, MATRIX_TOP, 14, side);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (double share : BAR_TICKS) {
            int y = bottom - (int) Math.round(shade(share) * side);
            g.drawLine(left + 14, y, left + 18, y);
            g.drawString(
                    String.format(Locale.ROOT, "%d%%", Math.round(share * 100)),
                    left + 21,
                    y + (fm.getAscent() - fm.getDescent()) / 2);
        }
    }

    // Square root, so that confusions of one or two percent are visibly tinted, not near-white.
    private static double shade(double share) {
        return Math.sqrt(share);
    }

    private static Color blend(double t) {
        return new Color(
                mix(255, DARK_BLUE.getRed(), t),
                mix(255, DARK_BLUE.getGreen(), t),
                mix(255, DARK_BLUE.getBlue(), t));
    }

    private static int mix(int from, int to, double t) {
        return (int) Math.round(from + (to - from) * t);
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
