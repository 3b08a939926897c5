package de.nnkurs.compare;

import de.nnkurs.io.AtomicFile;
import de.nnkurs.training.EpochResult;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the run records of both sides into {@code report.md} and {@code loss.png}.
 *
 * <p>Expects {@code python.json}, {@code java-adam.json} and {@code java-djl-adam.json} in the
 * folder, as {@code scripts/compare} writes them.
 */
public final class CompareReport {

    /** The first steps over which Java must match Python to 1e-5. */
    public static final int CLOSE_STEPS = 50;

    /** The steps over which Java must match Python to 1e-3. */
    public static final int NEAR_STEPS = 100;

    /** Per-step |Δloss| statistics over a window of steps. */
    public record Window(int steps, double max, double mean) {}

    private CompareReport() {}

    /**
     * Returns the per-step absolute loss differences over the steps both runs have.
     *
     * @param a one run
     * @param b the other
     * @return |a_i − b_i| per step
     */
    public static List<Double> differences(RunRecord a, RunRecord b) {
        int n = Math.min(a.stepLosses().size(), b.stepLosses().size());
        List<Double> d = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            d.add(Math.abs((double) a.stepLosses().get(i) - (double) b.stepLosses().get(i)));
        }
        return d;
    }

    /**
     * Returns max and mean of the first {@code steps} differences (all if fewer).
     *
     * @param differences per-step |Δloss|
     * @param steps the window
     * @return the statistics
     */
    public static Window window(List<Double> differences, int steps) {
        int n = Math.min(steps, differences.size());
        double max = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, differences.get(i));
            sum += differences.get(i);
        }
        return new Window(n, max, n == 0 ? 0 : sum / n);
    }

    /**
     * Returns the share of test images both runs classify the same way.
     *
     * @param a one run
     * @param b the other
     * @return agreeing / total
     */
    public static double agreement(RunRecord a, RunRecord b) {
        int n = Math.min(a.testPredictions().length, b.testPredictions().length);
        int same = 0;
        for (int i = 0; i < n; i++) {
            if (a.testPredictions()[i] == b.testPredictions()[i]) {
                same++;
            }
        }
        return n == 0 ? 0 : (double) same / n;
    }

    /**
     * Reads the three records in {@code dir} and writes {@code report.md} and {@code loss.png}.
     *
     * @param dir the comparison folder
     * @return the report's Markdown
     * @throws IOException if a record is missing or malformed, or writing fails
     */
    public static String write(Path dir) throws IOException {
        RunRecord python = RunRecord.read(dir.resolve("python.json"));
        RunRecord java = RunRecord.read(dir.resolve("java-adam.json"));
        RunRecord djl = RunRecord.read(dir.resolve("java-djl-adam.json"));
        List<Double> dJava = differences(java, python);
        List<Double> dDjl = differences(djl, python);

        String title =
                String.format(
                        Locale.ROOT,
                        "slides' loop, %s model: Java (DJL) vs Python (PyTorch), same weights and"
                            + " batches",
                        python.variant());
        LossPlot.write(
                dir.resolve("loss.png"),
                title,
                List.of(
                        new LossPlot.Series(
                                "Python, torch.optim.Adam", python.stepLosses(), Color.GRAY),
                        new LossPlot.Series(
                                "Java, adam (PyTorch's update)", java.stepLosses(), Color.BLUE),
                        new LossPlot.Series(
                                "Java, djl-adam (DJL's Adam)",
                                djl.stepLosses(),
                                new Color(230, 120, 0))),
                List.of(
                        new LossPlot.Series("Java adam vs Python", dJava, Color.BLUE),
                        new LossPlot.Series(
                                "Java djl-adam vs Python", dDjl, new Color(230, 120, 0))));

        String md = markdown(python, java, djl, dJava, dDjl);
        AtomicFile.write(
                dir.resolve("report.md"), out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
        return md;
    }

    private static String markdown(
            RunRecord python,
            RunRecord java,
            RunRecord djl,
            List<Double> dJava,
            List<Double> dDjl) {
        StringBuilder sb = new StringBuilder();
        int steps = python.stepLosses().size();
        sb.append("# Java (DJL) vs Python (PyTorch): the slides' MNIST loop\n\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Both sides start from the same weights (`init.npz`) and see the same"
                            + " batches (`order.npz`): %d epoch(s), %d steps, batch size %d, lr %s,"
                            + " %s model.%n%n",
                        python.history().size(),
                        steps,
                        python.batchSize(),
                        python.learningRate(),
                        python.variant()));
        int all = Math.max(steps, 1);
        sb.append("| per-step \\|Δloss\\| vs Python | first ")
                .append(CLOSE_STEPS)
                .append(": max | mean | first ")
                .append(NEAR_STEPS)
                .append(": max | mean | all ")
                .append(all)
                .append(": max | mean |\n");
        sb.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        row(sb, "Java, `adam` (PyTorch's update)", dJava, all);
        row(sb, "Java, `djl-adam` (DJL's Adam)", dDjl, all);
        sb.append('\n');

        sb.append("| | Python | Java `adam` | Java `djl-adam` |\n| --- | --- | --- | --- |\n");
        sb.append(line("test accuracy", r -> fmt("%.4f", r.testAccuracy()), python, java, djl));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| test predictions equal to Python's | — | %s | %s |%n",
                        pct(agreement(java, python)),
                        pct(agreement(djl, python))));
        sb.append(line("seconds per epoch", CompareReport::seconds, python, java, djl));
        sb.append(
                line(
                        "peak RSS (MiB)",
                        r -> r.peakRssMb() == null ? "n/a" : fmt("%.0f", r.peakRssMb()),
                        python,
                        java,
                        djl));
        sb.append(line("versions", CompareReport::versions, python, java, djl));
        sb.append('\n');

        Window close = window(dJava, CLOSE_STEPS);
        Window near = window(dJava, NEAR_STEPS);
        double gap = Math.abs(java.testAccuracy() - python.testAccuracy()) * 100;
        sb.append("Targets for Java `adam`:\n\n");
        sb.append(
                target(
                        close.max() <= 1e-5,
                        fmt("max \\|Δloss\\| ≤ 1e-5 over the first %d steps", close.steps()),
                        fmt("%.2e", close.max())));
        sb.append(
                target(
                        near.max() <= 1e-3,
                        fmt("max \\|Δloss\\| ≤ 1e-3 over the first %d steps", near.steps()),
                        fmt("%.2e", near.max())));
        sb.append(
                target(
                        gap <= 0.5,
                        "test accuracies within 0.5 percentage points",
                        fmt("%.2f pp", gap)));
        sb.append("\n![loss per step and |Δloss|](loss.png)\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, List<Double> d, int all) {
        Window a = window(d, CLOSE_STEPS);
        Window b = window(d, NEAR_STEPS);
        Window c = window(d, all);
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| %s | %.2e | %.2e | %.2e | %.2e | %.2e | %.2e |%n",
                        name,
                        a.max(),
                        a.mean(),
                        b.max(),
                        b.mean(),
                        c.max(),
                        c.mean()));
    }

    private static String line(
            String label,
            java.util.function.Function<RunRecord, String> cell,
            RunRecord python,
            RunRecord java,
            RunRecord djl) {
        return "| "
                + label
                + " | "
                + cell.apply(python)
                + " | "
                + cell.apply(java)
                + " | "
                + cell.apply(djl)
                + " |\n";
    }

    private static String seconds(RunRecord r) {
        return r.history().stream()
                .map(EpochResult::seconds)
                .map(s -> fmt("%.1f", s))
                .collect(Collectors.joining(", "));
    }

    private static String versions(RunRecord r) {
        return r.versions().entrySet().stream()
                .map((Map.Entry<String, String> e) -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String target(boolean met, String what, String measured) {
        return "- "
                + (met ? "met" : "**not met**")
                + ": "
                + what
                + " (measured "
                + measured
                + ")\n";
    }

    private static String pct(double share) {
        return fmt("%.2f %%", share * 100);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
