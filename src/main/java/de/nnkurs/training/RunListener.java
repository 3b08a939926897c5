package de.nnkurs.training;

import ai.djl.Model;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Hears a training run: the start, every step, every epoch. All methods do nothing by default, so a
 * listener implements only what it needs.
 */
public interface RunListener {

    /** A listener that ignores everything. */
    RunListener NONE = new RunListener() {};

    /**
     * Called once the weights are initialised, before the first step.
     *
     * @param model the model about to be trained; its block holds the initial weights
     */
    default void onTrainingBegin(Model model) {}

    /**
     * Called after every optimizer step.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch within the epoch, from 1
     * @param batches the number of batches this epoch will run
     * @param loss this step's loss
     */
    default void onStep(int epoch, int batch, int batches, float loss) {}

    /**
     * Called after each epoch's evaluation.
     *
     * @param result the epoch's figures
     */
    default void onEpoch(EpochResult result) {}

    /**
     * Called with a line worth showing the user: what is trained, where it resumes, what was saved.
     *
     * @param line one line, without a line break
     */
    default void onNote(String line) {}

    /**
     * Returns a listener that prints the run's notes and one line per epoch, e.g. {@code epoch 1
     * loss 1.6920 test accuracy 0.8800 1.6 s}: what {@code train} prints, for JShell or a notebook.
     *
     * @param out where the lines go
     * @return the listener
     */
    static RunListener printEpochs(PrintStream out) {
        return new RunListener() {
            @Override
            public void onEpoch(EpochResult r) {
                out.printf(
                        Locale.ROOT,
                        "epoch %d  loss %.4f  test accuracy %.4f  %.1f s%n",
                        r.epoch(),
                        r.meanLoss(),
                        r.testAccuracy(),
                        r.seconds());
            }

            @Override
            public void onNote(String line) {
                out.println(line);
            }
        };
    }

    /**
     * Returns a listener that tells this one first, then {@code next}.
     *
     * @param next the second listener
     * @return both in order
     */
    default RunListener andThen(RunListener next) {
        RunListener first = this;
        return new RunListener() {
            @Override
            public void onTrainingBegin(Model model) {
                first.onTrainingBegin(model);
                next.onTrainingBegin(model);
            }

            @Override
            public void onStep(int epoch, int batch, int batches, float loss) {
                first.onStep(epoch, batch, batches, loss);
                next.onStep(epoch, batch, batches, loss);
            }

            @Override
            public void onEpoch(EpochResult result) {
                first.onEpoch(result);
                next.onEpoch(result);
            }

            @Override
            public void onNote(String line) {
                first.onNote(line);
                next.onNote(line);
            }
        };
    }
}
