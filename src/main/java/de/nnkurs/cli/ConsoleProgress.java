package de.nnkurs.cli;

import de.nnkurs.ProgressListener;
import de.nnkurs.training.EpochResult;
import de.nnkurs.training.RunListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Draws a progress bar on a terminal (on standard error, redrawn in place) and prints one result
 * line per epoch on standard output. Without a terminal only the result lines appear.
 */
final class ConsoleProgress implements RunListener {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private String prefix = "";
    private int lastDrawn = -1;

    ConsoleProgress(PrintWriter out, PrintWriter err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    /** Returns a bar for a terminal if standard output is one. */
    static ConsoleProgress onConsole(PrintWriter out, PrintWriter err) {
        return new ConsoleProgress(out, err, System.console() != null);
    }

    /** Puts a label in front of every bar and epoch line, e.g. the activation being trained. */
    ConsoleProgress prefix(String label) {
        prefix = label.isEmpty() ? "" : label + "  ";
        return this;
    }

    /** Returns a progress for work other than training, drawn as {@code label [=== ] n/N}. */
    ProgressListener task(String label) {
        return (done, total) -> {
            draw(label, done, total, "");
            if (done == total) {
                clear();
            }
        };
    }

    @Override
    public void onStep(int epoch, int batch, int batches, float loss) {
        if (needsDrawing(batch, batches)) { // formats only what is drawn, not every step
            draw("epoch " + epoch, batch, batches, "  loss " + number(loss));
        }
    }

    private boolean needsDrawing(int done, int total) {
        return interactive && total > 0 && (filled(done, total) != lastDrawn || done == total);
    }

    private static int filled(int done, int total) {
        return (int) ((long) done * WIDTH / total);
    }

    @Override
    public void onEpoch(EpochResult r) {
        clear();
        out.printf(
                Locale.ROOT,
                "%sepoch %d  loss %s  test accuracy %.4f  %.1f s%n",
                prefix,
                r.epoch(),
                number(r.meanLoss()),
                r.testAccuracy(),
                r.seconds());
        out.flush();
    }

    @Override
    public void onNote(String line) {
        clear();
        out.println(prefix + line);
        out.flush();
    }

    private void draw(String label, int done, int total, String suffix) {
        if (!needsDrawing(done, total)) {
            return;
        }
        int filled = filled(done, total);
        lastDrawn = filled;
        err.printf(
                Locale.ROOT,
                "\r%s%s [%s%s] %d/%d%s",
                prefix,
                label,
                "=".repeat(filled),
                " ".repeat(WIDTH - filled),
                done,
                total,
                suffix);
        err.flush();
    }

    private void clear() {
        if (interactive) {
            err.print("\r" + " ".repeat(WIDTH + 60) + "\r");
            err.flush();
            lastDrawn = -1;
        }
    }

    /** Four decimals for ordinary losses; scientific notation for a diverging one. */
    static String number(double value) {
        return Math.abs(value) < 1e4 || !Double.isFinite(value)
                ? String.format(Locale.ROOT, "%.4f", value)
                : String.format(Locale.ROOT, "%.4e", value);
    }
}
