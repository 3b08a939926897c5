package de.nnkurs.training;

import ai.djl.Model;
import ai.djl.nn.Block;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.data.Mnist;
import de.nnkurs.data.OrderFile;
import de.nnkurs.data.Sampler;
import de.nnkurs.io.FileChecks;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.Models;
import de.nnkurs.model.StateDict;
import de.nnkurs.model.Variant;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One whole training run of the hands-on, the entry point that the command line, the notebooks and
 * your own Java share: build the network, initialise it, train it with the slides' loop and hand
 * back the trained model.
 *
 * <pre>{@code
 * Mnist mnist = Mnist.load(MnistFetcher.ensure(Path.of("data/mnist"), log));
 * try (TrainedModel trained = TrainingRun.lesson().data(mnist).run(TrainingListener.NONE)) {
 *     System.out.println(trained.testAccuracy());
 * }
 * }</pre>
 *
 * <p>Every setter checks its value at once and throws {@link InvalidSettingException} naming the
 * setting; {@link #check()} checks how the settings combine.
 */
public final class TrainingRun {

    private final TrainingSettings settings;
    private Architecture architecture = Architecture.lesson(Variant.SLIDES);
    private Mnist data;
    private Path initialWeights;
    private Path saveInitialWeights;
    private Path order;
    private Path saveOrder;
    private Consumer<Block> beforeTraining = block -> {};

    private TrainingRun(TrainingSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Starts a run with these settings and the slides' network (784-64-64-64-10, ReLU, Softmax).
     *
     * @param settings epochs, batch size, learning rate, seed, optimizer, loss
     * @return the run, not yet started
     */
    public static TrainingRun of(TrainingSettings settings) {
        return new TrainingRun(settings);
    }

    /** Starts a run of the hands-on exactly as the slides set it up. */
    public static TrainingRun lesson() {
        return of(TrainingSettings.lesson());
    }

    /**
     * Trains this network instead of the slides' one.
     *
     * @param value hidden widths, activation and variant
     * @return this run
     */
    public TrainingRun architecture(Architecture value) {
        architecture = Objects.requireNonNull(value, "architecture");
        return this;
    }

    /**
     * Trains on {@code value.train()} and reports the accuracy on {@code value.test()}.
     *
     * @param value the dataset
     * @return this run
     */
    public TrainingRun data(Mnist value) {
        data = Objects.requireNonNull(value, "data");
        return this;
    }

    /**
     * Starts from these weights instead of the seed's random ones.
     *
     * @param file a {@code .npz} or {@code .safetensors} with {@code state_dict} names
     * @return this run
     */
    public TrainingRun initialWeights(Path file) {
        FileChecks.existingFile("init", file);
        StateDict.checkFileName("init", file);
        initialWeights = file;
        return this;
    }

    /**
     * Writes the initial weights before the first step, e.g. for the Python side to start from.
     *
     * @param file a {@code .npz} or {@code .safetensors} to write
     * @return this run
     */
    public TrainingRun saveInitialWeights(Path file) {
        StateDict.checkFileName("save-init", file);
        FileChecks.writable("save-init", file);
        saveInitialWeights = file;
        return this;
    }

    /**
     * Visits the training examples in the orders of this file instead of shuffling.
     *
     * @param file a {@code .npz} with arrays {@code epoch1}, {@code epoch2}, …
     * @return this run
     */
    public TrainingRun order(Path file) {
        FileChecks.existingFile("order", file);
        order = file;
        return this;
    }

    /**
     * Writes each epoch's shuffled order before training, e.g. for the Python side to follow.
     *
     * @param file a {@code .npz} to write
     * @return this run
     */
    public TrainingRun saveOrder(Path file) {
        FileChecks.extension("save-order", file, "epoch order", ".npz");
        FileChecks.writable("save-order", file);
        saveOrder = file;
        return this;
    }

    /**
     * Changes the initialised weights before the first step, e.g. to start every bias at −3.
     *
     * @param step what to do with the initialised block
     * @return this run
     */
    public TrainingRun beforeTraining(Consumer<Block> step) {
        beforeTraining = Objects.requireNonNull(step, "step");
        return this;
    }

    /** Returns the settings. */
    public TrainingSettings settings() {
        return settings;
    }

    /** Returns the network that will be trained. */
    public Architecture architecture() {
        return architecture;
    }

    /**
     * Checks how the settings combine; {@link #run} calls it too.
     *
     * @throws InvalidSettingException naming a setting that does not fit the others
     */
    public void check() {
        if (settings.loss() == LossKind.SLIDE_CE && architecture.variant() == Variant.LOGITS) {
            throw new InvalidSettingException(
                    "loss",
                    "slide-ce takes probabilities: it needs the final Softmax, not the logits"
                            + " variant");
        }
        if (settings.optimizer() == OptimizerKind.GD
                && (order != null || saveOrder != null || settings.maxBatches() > 0)) {
            throw new InvalidSettingException(
                    "optimizer",
                    "gd steps once per pass over all examples; order, save-order and max-batches"
                            + " do not apply");
        }
        if (order != null && saveOrder != null) {
            throw new InvalidSettingException("order", "and save-order exclude each other");
        }
    }

    /**
     * Builds, initialises and trains the network; evaluates on the test set after each epoch.
     *
     * @param listener hears the start, every step and every epoch
     * @return the trained model; the caller closes it
     * @throws IOException if a weights or order file cannot be read or written
     */
    public TrainedModel run(TrainingListener listener) throws IOException {
        check();
        if (data == null) {
            throw new IllegalStateException("no data to train on: call data(mnist) first");
        }
        Model model = Model.newInstance("mnist");
        try {
            Block block = Models.sequential(architecture); // model = nn.Sequential(...)
            model.setBlock(block);
            Models.initialize(block, model.getNDManager(), settings.seed());
            if (initialWeights != null) {
                StateDict.load(block, initialWeights);
            }
            beforeTraining.accept(block);
            if (saveInitialWeights != null) {
                StateDict.save(block, saveInitialWeights);
            }
            TrainingResult result =
                    settings.optimizer() == OptimizerKind.GD
                            ? FullBatchTraining.train(model, data, settings, listener)
                            : TrainingLoop.train(model, data, settings, sampler(model), listener);
            return new TrainedModel(model, architecture, settings, result, data.sha256());
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Returns the epoch orders: read from a file, or drawn from the seed (and saved). */
    private Sampler sampler(Model model) throws IOException {
        int count = data.train().count();
        if (order != null) {
            return Sampler.fixed(
                    OrderFile.read(order, count, settings.epochs(), model.getNDManager()));
        }
        Sampler shuffle = Sampler.random(new Random(settings.seed()));
        if (saveOrder == null) {
            return shuffle;
        }
        List<int[]> orders = new ArrayList<>();
        for (int e = 0; e < settings.epochs(); e++) {
            orders.add(shuffle.nextEpoch(count));
        }
        OrderFile.write(saveOrder, orders, model.getNDManager());
        return Sampler.fixed(orders);
    }
}
