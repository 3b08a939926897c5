package de.nnkurs.compare;

import de.nnkurs.io.AtomicFile;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/** Draws the per-step loss curves and their differences as a PNG, with plain java.awt. */
public final class LossPlot {

    /** One curve. */
    public record Series(String name, List<? extends Number> values, Color color) {}

    private static final int WIDTH = 1000;
    private static final int PANEL = 300;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 60;
    private static final int GAP = 70;
    private static final double LOG_FLOOR = 1e-9;

    private LossPlot() {}

    /**
     * Writes the plot: losses on top (linear), |Δloss| below (log scale).
     *
     * @param file the PNG to write
     * @param title the title line
     * @param losses loss per step of each run
     * @param differences |Δloss| per step of each compared pair
     * @throws IOException if writing fails
     */
    public static void write(Path file, String title, List<Series> losses, List<Series> differences)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        int height = TOP + 2 * PANEL + GAP + 50;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, LEFT, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            panel(g, TOP, "loss per step", losses, false);
            panel(
                    g,
                    TOP + PANEL + GAP,
                    "|Δloss| per step vs Python (log scale; 0 is drawn at 1e-9)",
                    differences,
                    true);
        } finally {
            g.dispose();
        }
        AtomicFile.write(file, out -> ImageIO.write(image, "png", out));
    }

    private static void panel(
            Graphics2D g, int top, String label, List<Series> series, boolean log) {
        int steps = series.stream().mapToInt(s -> s.values().size()).max().orElse(1);
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (Series s : series) {
            for (Number n : s.values()) {
                double v = transform(n.doubleValue(), log);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (log) {
            lo = Math.floor(lo);
            hi = Math.ceil(hi);
        }
        if (hi <= lo) {
            hi = lo + 1;
        }
        int w = WIDTH - LEFT - RIGHT;
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, top, w, PANEL);
        g.drawString(label, LEFT, top - 6);
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            int y = top + PANEL - (int) Math.round(PANEL * (v - lo) / (hi - lo));
            String text =
                    log
                            ? String.format(Locale.ROOT, "1e%d", Math.round(v))
                            : String.format(Locale.ROOT, "%.3f", v);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT + 1, y, LEFT + w - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(text, LEFT - 8 - g.getFontMetrics().stringWidth(text), y + 4);
        }
        for (int i = 0; i <= 5; i++) {
            int step = (int) Math.round((double) steps * i / 5);
            int x = LEFT + (int) Math.round((double) w * step / Math.max(1, steps));
            String text = Integer.toString(step);
            g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, top + PANEL + 16);
        }
        g.drawString("step", LEFT + w / 2 - 12, top + PANEL + 32);
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(1.5f));
            int prevX = -1;
            int prevY = -1;
            List<? extends Number> values = s.values();
            for (int i = 0; i < values.size(); i++) {
                double v = transform(values.get(i).doubleValue(), log);
                int x = LEFT + (int) Math.round((double) w * (i + 1) / Math.max(1, steps));
                int y = top + PANEL - (int) Math.round(PANEL * (v - lo) / (hi - lo));
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, x, y);
                }
                prevX = x;
                prevY = y;
            }
        }
        // The legend goes on top of the curves, on a light box, so no curve hides it.
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(LEFT + w - 268, top + 4, 262, 16 * series.size() + 4);
        for (int i = 0; i < series.size(); i++) {
            int y = top + 16 + 16 * i;
            g.setColor(series.get(i).color());
            g.fillRect(LEFT + w - 260, y - 8, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(series.get(i).name(), LEFT + w - 236, y - 2);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static double transform(double v, boolean log) {
        return log ? Math.log10(Math.max(v, LOG_FLOOR)) : v;
    }
}
