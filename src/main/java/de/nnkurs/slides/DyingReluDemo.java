package de.nnkurs.slides;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.data.MnistData;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.RunListener;
import de.nnkurs.run.TrainingRun;
import de.nnkurs.training.TrainingSettings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Provokes dying ReLUs and counts the dead units per hidden layer before training and after each
 * epoch, with the ordinary {@link TrainingRun} and a {@link DeadUnitCounter} listening.
 *
 * <p>The default provocation starts every hidden bias at −3 and otherwise trains as the lesson does
 * (PyTorch's Adam, lr 0.003, batch 256, two epochs) on the network 784-64-64-10 without the final
 * Softmax. With PyTorch's initial weights every pre-activation is then below 0 for every image, so
 * every ReLU unit is dead from the first step: its gradient is exactly 0, and not even Adam, which
 * rescales small gradients, can move it. Leaky ReLU and ALReLU keep a gradient of α (−α for ALReLU)
 * on the negative side, which Adam amplifies, so their units revive. ALReLU revives fewer because
 * it is V-shaped: lowering a negative pre-activation raises its output too, so nothing pulls a unit
 * back above 0. docs/slides-experiments.md gives the counts measured on the real MNIST.
 *
 * <p>The other provocation, plain SGD with a large learning rate (a {@link Settings} with other
 * {@link TrainingSettings}), kills units during training instead of before it.
 */
public final class DyingReluDemo {

    /** The activations the slides compare: ReLU and the two that keep a slope below 0. */
    public static final List<HiddenActivation> COMPARED =
            List.of(HiddenActivation.RELU, HiddenActivation.LEAKY_RELU, HiddenActivation.ALRELU);

    private DyingReluDemo() {}

    /**
     * What to train and how to provoke dead units.
     *
     * @param hidden widths of the hidden layers, e.g. {@code [64, 64]}
     * @param biasStart the hidden layers' initial bias, or {@code NaN} for PyTorch's default
     * @param training epochs, batch size, optimizer, learning rate, seed
     */
    public record Settings(List<Integer> hidden, float biasStart, TrainingSettings training) {

        /** The default provocation: hidden biases start at −3, otherwise the lesson's training. */
        public static final float BIAS_START = -3f;

        /** Checks the values. */
        public Settings {
            hidden = List.copyOf(hidden);
            if (hidden.isEmpty()) {
                throw new IllegalArgumentException("dead units need at least one hidden layer");
            }
            if (Float.isInfinite(biasStart)) {
                throw new InvalidSettingException(
                        "bias-start",
                        "must be a number (NaN: PyTorch's default), got " + biasStart);
            }
        }

        /**
         * Returns 784-64-64-10 with hidden biases starting at −3, trained with the lesson's Adam
         * (lr 0.003, batch 256) for the lesson's two epochs.
         */
        public static Settings negativeBiasStart() {
            return new Settings(List.of(64, 64), BIAS_START, TrainingSettings.lesson());
        }

        /** Returns these settings with another initial hidden bias. */
        public Settings withBiasStart(float value) {
            return new Settings(hidden, value, training);
        }

        /**
         * Returns what is trained how, e.g. {@code 784-64-64-10, hidden biases starting at -3.0,
         * adam lr 0.003, 2 epoch(s), seed 1}.
         */
        public String describe() {
            StringBuilder widths = new StringBuilder("784");
            hidden.forEach(h -> widths.append('-').append(h));
            return String.format(
                    Locale.ROOT,
                    "%s-10, hidden biases starting at %s, %s lr %s, %d epoch(s), seed %d",
                    widths,
                    biasStart,
                    training.optimizer().label(),
                    training.learningRate(),
                    training.epochs(),
                    training.seed());
        }

        /** Returns the network for one activation: no final Softmax, as the logits variant. */
        Architecture architecture(HiddenActivation activation) {
            return new Architecture(hidden, activation, Variant.LOGITS);
        }
    }

    /**
     * Dead units per hidden layer, measured before training and after each epoch.
     *
     * @param activation the hidden layers' activation
     * @param dead {@code dead.get(0)} before training, {@code dead.get(e)} after epoch e
     * @param meanLoss mean training loss of each epoch
     * @param testAccuracy test accuracy after each epoch
     * @param diverged whether the loss became NaN or infinite, which ends the counting
     */
    public record Result(
            HiddenActivation activation,
            List<int[]> dead,
            List<Double> meanLoss,
            List<Double> testAccuracy,
            boolean diverged) {}

    /**
     * Trains the network with one activation and counts its dead units.
     *
     * @param data the training set (dead units are counted on it) and the test set
     * @param settings network, provocation and schedule
     * @param activation the hidden layers' activation
     * @param progress hears every step and epoch, e.g. to draw a progress bar
     * @return dead units per hidden layer before training and after each epoch
     * @throws IOException never in practice: the run reads and writes no files
     */
    public static Result run(
            MnistData data, Settings settings, HiddenActivation activation, RunListener progress)
            throws IOException {
        DeadUnitCounter counter = new DeadUnitCounter(data.train());
        TrainingRun run =
                TrainingRun.of(settings.training())
                        .architecture(settings.architecture(activation))
                        .data(data)
                        .beforeTraining(block -> startHiddenBiasesAt(block, settings.biasStart()))
                        .keepDiverged(); // a diverged run still has dead units to count
        try (TrainedModel trained = run.run(progress.andThen(counter))) {
            List<Double> losses = new ArrayList<>();
            List<Double> accuracies = new ArrayList<>();
            trained.result()
                    .epochs()
                    .forEach(
                            e -> {
                                losses.add(e.meanLoss());
                                accuracies.add(e.testAccuracy());
                            });
            return new Result(activation, counter.counts(), losses, accuracies, counter.diverged());
        }
    }

    /**
     * Runs the demonstration for several activations with the same settings.
     *
     * @param data the training and test sets
     * @param settings network, provocation and schedule, the same for every activation
     * @param progress gives the listener for each activation's run, e.g. a labelled progress bar
     * @param activations e.g. {@link #COMPARED}
     * @return one result per activation, in the order given
     * @throws IOException never in practice: the runs read and write no files
     */
    public static List<Result> compare(
            MnistData data,
            Settings settings,
            Function<HiddenActivation, RunListener> progress,
            List<HiddenActivation> activations)
            throws IOException {
        List<Result> results = new ArrayList<>();
        for (HiddenActivation activation : activations) {
            results.add(run(data, settings, activation, progress.apply(activation)));
        }
        return results;
    }

    /** Sets the bias of every hidden Linear layer (all but the last) to {@code value}. */
    static void startHiddenBiasesAt(Block block, float value) {
        if (Float.isNaN(value)) {
            return; // PyTorch's default initialisation stays
        }
        List<Linear> linears = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getValue() instanceof Linear linear) {
                linears.add(linear);
            }
        }
        for (Linear hidden : linears.subList(0, linears.size() - 1)) {
            Models.overwrite(hidden.getParameters().get("bias"), value);
        }
    }

    /**
     * Returns a plain-text table: one row per activation, dead units per layer per epoch, then the
     * last epoch's mean loss and test accuracy.
     */
    public static String table(List<Result> results) {
        int columns = 0;
        for (Result r : results) {
            columns = Math.max(columns, r.meanLoss().size() + 1);
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s", "activation"));
        for (int e = 0; e < columns; e++) {
            sb.append(String.format(Locale.ROOT, "  %-10s", e == 0 ? "start" : "epoch " + e));
        }
        sb.append("  loss      test accuracy\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%-12s", r.activation().label()));
            for (int e = 0; e < columns; e++) {
                String cell = e < r.dead().size() ? cell(r.dead().get(e)) : "diverged";
                sb.append(String.format(Locale.ROOT, "  %-10s", cell));
            }
            double loss = r.meanLoss().get(r.meanLoss().size() - 1);
            double accuracy = r.testAccuracy().get(r.testAccuracy().size() - 1);
            sb.append(String.format(Locale.ROOT, "  %-8.4f  %.4f%n", loss, accuracy));
        }
        return sb.toString();
    }

    /** Returns e.g. {@code 64/64}: dead units of hidden layer 1 / hidden layer 2. */
    private static String cell(int[] perLayer) {
        StringBuilder cell = new StringBuilder();
        for (int n : perLayer) {
            cell.append(cell.length() == 0 ? "" : "/").append(n);
        }
        return cell.toString();
    }
}
