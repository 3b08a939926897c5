package de.nnkurs.compare;

import de.nnkurs.plot.Charts;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.AxesChartStyler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Draws the per-step loss curves and their differences as one PNG, with XChart. */
public final class LossPlot {

    /** One curve. */
    public record Series(String name, List<? extends Number> values, Color color) {}

    private static final int WIDTH = 1000;
    private static final int PANEL = 380;

    /** Where a zero difference is drawn on the log scale, which has no 0. */
    static final double LOG_FLOOR = 1e-9;

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
        XYChart top = Charts.lines(title, "step", "loss per step", WIDTH, PANEL);
        for (Series s : losses) {
            Charts.line(
                    top,
                    s.name(),
                    Charts.steps(s.values().size()),
                    Charts.doubles(s.values()),
                    s.color());
        }
        XYChart bottom =
                Charts.lines(
                        "|Δloss| per step vs Python (log scale; 0 is drawn at 1e-9)",
                        "step",
                        "|Δloss|",
                        WIDTH,
                        PANEL);
        bottom.getStyler().setYAxisLogarithmic(true);
        bottom.getStyler().setYAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
        for (Series s : differences) {
            double[] y = Charts.doubles(s.values());
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.max(y[i], LOG_FLOOR);
            }
            Charts.line(bottom, s.name(), Charts.steps(y.length), y, s.color());
        }
        Charts.writePng(Charts.stack(Charts.image(top), Charts.image(bottom)), file);
    }
}
