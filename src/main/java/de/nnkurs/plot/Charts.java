package de.nnkurs.plot;

import de.nnkurs.io.AtomicFile;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Small helpers around XChart: a plain line chart in the project's style, a chart as an image (for
 * a notebook's {@code display} or a PNG file), pictures stacked into one.
 */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * Returns an empty line chart: white, a legend inside the plot, no markers on the lines.
     *
     * @param title the title
     * @param xTitle the x axis's title
     * @param yTitle the y axis's title
     * @param width in pixels
     * @param height in pixels
     * @return the chart; add series with {@link #line}
     */
    public static XYChart lines(String title, String xTitle, String yTitle, int width, int height) {
        XYChart chart =
                new XYChartBuilder()
                        .width(width)
                        .height(height)
                        .title(title)
                        .xAxisTitle(xTitle)
                        .yAxisTitle(yTitle)
                        .build();
        XYStyler styler = chart.getStyler();
        styler.setXAxisMaxLabelCount(12);
        styler.setYAxisLogarithmicDecadeOnly(true);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        chart.getStyler().setMarkerSize(0);
        return chart;
    }

    /**
     * Adds a line through {@code (x[i], y[i])}.
     *
     * @param chart the chart
     * @param name the legend entry
     * @param x the x values
     * @param y the y values, as many
     * @param color the line's color, or null for XChart's next one
     * @return the series, to style further
     */
    public static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        if (color != null) {
            series.setLineColor(color);
        }
        return series;
    }

    /**
     * Returns {@code 1, 2, …, n}: step numbers for an x axis.
     *
     * @param n how many
     * @return the numbers as doubles
     */
    public static double[] steps(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /**
     * Returns the values as doubles.
     *
     * @param values e.g. the loss of every step
     * @return a new array
     */
    public static double[] doubles(List<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).toArray();
    }

    /**
     * Renders a chart, e.g. for {@code display(...)} in a notebook.
     *
     * @param chart any XChart chart
     * @return the picture
     */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Puts pictures one under the other on white, left-aligned.
     *
     * @param images the pictures, top first
     * @return one picture
     */
    public static BufferedImage stack(BufferedImage... images) {
        int width = 0;
        int height = 0;
        for (BufferedImage i : images) {
            width = Math.max(width, i.getWidth());
            height += i.getHeight();
        }
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            for (BufferedImage i : images) {
                g.drawImage(i, 0, y, null);
                y += i.getHeight();
            }
        } finally {
            g.dispose();
        }
        return all;
    }

    /**
     * Writes a picture as PNG, under a temporary name first.
     *
     * @param image the picture
     * @param png the file
     * @throws IOException if writing fails
     */
    public static void writePng(BufferedImage image, Path png) throws IOException {
        AtomicFile.write(png, out -> ImageIO.write(image, "png", out));
    }
}
