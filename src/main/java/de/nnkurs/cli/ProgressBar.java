package de.nnkurs.cli;

import de.nnkurs.training.EpochResult;
import de.nnkurs.training.TrainingListener;

import java.io.PrintWriter;
import java.util.Locale;

/** Draws a progress bar per epoch on a terminal, then one result line per epoch. */
final class ProgressBar implements TrainingListener {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private int lastDrawn = -1;

    ProgressBar(PrintWriter out, PrintWriter err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    @Override
    public void onStep(int epoch, int batch, int batches, float loss) {
        if (!interactive) {
            return;
        }
        int filled = batch * WIDTH / batches;
        if (filled == lastDrawn && batch != batches) {
            return;
        }
        lastDrawn = filled;
        err.printf(
                Locale.ROOT,
                "\repoch %d [%s%s] %d/%d  loss %s",
                epoch,
                "=".repeat(filled),
                " ".repeat(WIDTH - filled),
                batch,
                batches,
                number(loss));
        err.flush();
    }

    @Override
    public void onEpoch(EpochResult r) {
        if (interactive) {
            err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            err.flush();
            lastDrawn = -1;
        }
        out.printf(
                Locale.ROOT,
                "epoch %d  loss %s  test accuracy %.4f  %.1f s%n",
                r.epoch(),
                number(r.meanLoss()),
                r.testAccuracy(),
                r.seconds());
        out.flush();
    }

    /** Four decimals for ordinary losses; scientific notation for a diverging one. */
    static String number(double value) {
        return Math.abs(value) < 1e4 || !Double.isFinite(value)
                ? String.format(Locale.ROOT, "%.4f", value)
                : String.format(Locale.ROOT, "%.4e", value);
    }
}
