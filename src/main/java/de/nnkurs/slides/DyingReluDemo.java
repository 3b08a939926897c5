package de.nnkurs.slides;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import de.nnkurs.Lesson;
import de.nnkurs.data.DataLoader;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Layers;
import de.nnkurs.training.SlideSgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Provokes dying ReLUs and counts the dead units per hidden layer before training and after each
 * epoch.
 *
 * <p>The default provocation starts every hidden bias at −3 and otherwise trains as the lesson does
 * (Adam, lr 0.003, batch 256, two epochs). With PyTorch's initial weights every pre-activation is
 * then below 0 for every image, so every ReLU unit is dead from the first step: its gradient is
 * exactly 0, and not even Adam, which rescales small gradients, can move it. Leaky ReLU and ALReLU
 * keep a gradient of α (−α for ALReLU) on the negative side, which Adam amplifies, so their units
 * revive. Measured on the 60,000 MNIST training images, 784-64-64-10, dead units per layer after
 * two epochs: ReLU 64/64 (loss stays 2.30), Leaky ReLU 13/6, ALReLU 23/41. ALReLU revives fewer
 * because it is V-shaped: lowering a negative pre-activation raises its output too, so nothing
 * pulls a unit back above 0.
 *
 * <p>The other provocation, plain SGD with a large learning rate, kills units during training: at
 * lr 0.4 ReLU ends with 37/48, Leaky ReLU 37/0, ALReLU 40/48; at lr 0.1 hardly any die, and at 0.5
 * Leaky ReLU diverges. Dead units are counted with {@link DeadUnits} on the training images.
 */
public final class DyingReluDemo {

    private DyingReluDemo() {}

    /** The optimizer a run trains with. */
    public enum Method {
        /** DJL's Adam, the lesson's optimizer. */
        ADAM,
        /** The slide's plain gradient descent, {@link SlideSgd}. */
        SGD;

        Optimizer create(float learningRate) {
            Tracker lr = Tracker.fixed(learningRate);
            return switch (this) {
                case ADAM -> Adam.builder().optLearningRateTracker(lr).build();
                case SGD -> SlideSgd.builder().setLearningRateTracker(lr).build();
            };
        }
    }

    /**
     * What to train and how to provoke dead units.
     *
     * @param hidden widths of the hidden layers, e.g. {@code [64, 64]}
     * @param optimizer Adam or plain SGD
     * @param learningRate the optimizer's learning rate
     * @param biasStart the hidden layers' initial bias, or {@code NaN} for PyTorch's default
     * @param epochs passes over the training data
     * @param batchSize examples per step
     * @param seed seed for weights and shuffling
     */
    public record Settings(
            List<Integer> hidden,
            Method optimizer,
            float learningRate,
            float biasStart,
            int epochs,
            int batchSize,
            long seed) {

        /** The default provocation: hidden biases start at −3, otherwise the lesson's training. */
        public static final float BIAS_START = -3f;

        /** Checks the values. */
        public Settings {
            hidden = List.copyOf(hidden);
            if (hidden.isEmpty() || epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException(
                        "need hidden layers, epochs ≥ 1, batch size ≥ 1 and a positive rate");
            }
        }

        /**
         * Returns 784-64-64-10 with hidden biases starting at −3, trained with the lesson's Adam
         * (lr 0.003, batch 256) for the lesson's two epochs.
         */
        public static Settings negativeBiasStart() {
            return new Settings(
                    List.of(64, 64),
                    Method.ADAM,
                    (float) Lesson.LEARNING_RATE,
                    BIAS_START,
                    Lesson.EPOCHS,
                    Lesson.BATCH_SIZE,
                    Lesson.SEED);
        }
    }

    /**
     * Dead units per hidden layer, measured before training and after each epoch.
     *
     * @param activation the hidden layers' activation
     * @param dead {@code dead.get(0)} before training, {@code dead.get(e)} after epoch e
     * @param meanLoss mean training loss of each epoch
     * @param diverged whether the loss became NaN or infinite, which ends the run early
     */
    public record Result(
            HiddenActivation activation,
            List<int[]> dead,
            List<Float> meanLoss,
            boolean diverged) {}

    /**
     * Returns the network {@code 784 → hidden … → 10} (logits) with the given activation.
     *
     * @param activation the activation after every hidden Linear layer
     * @param settings the widths and the initial hidden bias
     * @return the block, not yet initialised
     */
    public static SequentialBlock network(HiddenActivation activation, Settings settings) {
        SequentialBlock net = new SequentialBlock();
        int in = Lesson.INPUT;
        for (int width : settings.hidden()) {
            Linear layer = Layers.linear(in, width);
            if (!Float.isNaN(settings.biasStart())) {
                layer.setInitializer(
                        new ConstantInitializer(settings.biasStart()), Parameter.Type.BIAS);
            }
            net.add(layer).add(activation.block());
            in = width;
        }
        return net.add(Layers.linear(in, Lesson.OUTPUT));
    }

    /**
     * Trains {@link #network} on {@code train} and counts dead units after each epoch.
     *
     * @param model the caller's model; its block is replaced by the new network
     * @param activation the hidden layers' activation
     * @param train the training examples, also used to count dead units
     * @param settings network, provocation and schedule
     * @return dead units per hidden layer before training and after each epoch
     */
    public static Result run(
            Model model, HiddenActivation activation, MnistSplit train, Settings settings) {
        Engine.getInstance().setRandomSeed((int) settings.seed());
        SequentialBlock net = network(activation, settings);
        model.setBlock(net);
        Loss criterion = Loss.softmaxCrossEntropyLoss();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(criterion)
                        .optOptimizer(settings.optimizer().create(settings.learningRate()));
        List<int[]> dead = new ArrayList<>();
        List<Float> losses = new ArrayList<>();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(1, Lesson.INPUT));
            ParameterStore ps = new ParameterStore(trainer.getManager(), false);
            dead.add(DeadUnits.count(net, ps, trainer.getManager(), train));
            Random random = new Random(settings.seed());
            DataLoader loader =
                    new DataLoader(trainer.getManager(), train, settings.batchSize(), true, random);
            for (int e = 0; e < settings.epochs(); e++) {
                double running = 0;
                for (Batch batch : loader) {
                    try (batch) {
                        NDArray images = batch.getData().head();
                        NDArray x = images.reshape(images.getShape().get(0), -1);
                        NDArray loss;
                        try (GradientCollector tape = trainer.newGradientCollector()) {
                            NDArray prediction = trainer.forward(new NDList(x)).head();
                            loss = criterion.evaluate(batch.getLabels(), new NDList(prediction));
                            tape.backward(loss);
                        }
                        trainer.step();
                        running += loss.getFloat();
                    }
                }
                float meanLoss = (float) (running / loader.size());
                losses.add(meanLoss);
                if (!Float.isFinite(meanLoss)) {
                    // NaN weights make no unit dead or alive; counting would be meaningless.
                    return new Result(activation, dead, losses, true);
                }
                dead.add(DeadUnits.count(net, ps, trainer.getManager(), train));
            }
        }
        return new Result(activation, dead, losses, false);
    }

    /**
     * Runs the demonstration for several activations, each in a model of its own.
     *
     * @param train the training examples
     * @param settings network, provocation and schedule, the same for every activation
     * @param activations e.g. RELU, LEAKY_RELU, ALRELU
     * @return one result per activation, in the order given
     */
    public static List<Result> compare(
            MnistSplit train, Settings settings, HiddenActivation... activations) {
        List<Result> results = new ArrayList<>();
        for (HiddenActivation activation : activations) {
            try (Model model = Model.newInstance("dying-relu-" + activation.cliName())) {
                results.add(run(model, activation, train, settings));
            }
        }
        return results;
    }

    /** Returns a plain-text table: one row per activation, dead units per layer per epoch. */
    public static String table(List<Result> results) {
        int columns = 0;
        for (Result r : results) {
            columns = Math.max(columns, r.meanLoss().size() + 1);
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s", "activation"));
        for (int e = 0; e < columns; e++) {
            sb.append(String.format(Locale.ROOT, "  %-10s", e == 0 ? "start" : "epoch " + e));
        }
        sb.append("  loss\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%-12s", r.activation().cliName()));
            for (int e = 0; e < columns; e++) {
                String cell = e < r.dead().size() ? cell(r.dead().get(e)) : "diverged";
                sb.append(String.format(Locale.ROOT, "  %-10s", cell));
            }
            float last = r.meanLoss().get(r.meanLoss().size() - 1);
            sb.append(String.format(Locale.ROOT, "  %.4f%n", last));
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
