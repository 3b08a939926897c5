package de.nnkurs.training;

import ai.djl.Model;
import ai.djl.nn.Block;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.data.MnistData;
import de.nnkurs.data.OrderFile;
import de.nnkurs.data.Sampler;
import de.nnkurs.data.Sha256;
import de.nnkurs.io.AtomicDirectory;
import de.nnkurs.io.FileChecks;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.Models;
import de.nnkurs.model.StateDict;
import de.nnkurs.model.Variant;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One whole training run of the hands-on, the entry point that the command line, the notebooks and
 * your own Java share: build the network, initialise it, train it with the slides' loop and hand
 * back the trained model.
 *
 * <pre>{@code
 * MnistData mnist = MnistData.load(MnistFetcher.ensure(Path.of("data/mnist"), log));
 * try (TrainedModel trained = TrainingRun.lesson().data(mnist).run(RunListener.NONE)) {
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
    private MnistData data;
    private Path initialWeights;
    private Path saveInitialWeights;
    private Path order;
    private Path saveOrder;
    private Consumer<Block> beforeTraining = block -> {};
    private Path checkpointTo;
    private Checkpoints.Saved resumeFrom;

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
    public TrainingRun data(MnistData value) {
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

    /**
     * Writes a checkpoint into this folder after every epoch (weights, optimizer state, results),
     * replacing the previous one atomically; while the run lasts, no other run can use the folder.
     *
     * @param dir e.g. {@code Checkpoints.beside(Path.of("models/mnist"))}
     * @return this run
     */
    public TrainingRun checkpoints(Path dir) {
        checkpointTo = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /**
     * Continues the run that wrote this checkpoint: from its weights, optimizer state and epoch, so
     * that the remaining steps are those the run would have taken uninterrupted. The settings,
     * network and data must be the checkpoint's; the number of epochs may be larger.
     *
     * @param dir a checkpoint folder
     * @return this run
     * @throws IOException naming the file if the checkpoint is missing or damaged
     */
    public TrainingRun resumeFrom(Path dir) throws IOException {
        resumeFrom = Checkpoints.read(dir);
        return this;
    }

    /** Returns the epochs the checkpoint being resumed has finished; 0 if the run starts afresh. */
    public int resumedEpochs() {
        return resumeFrom == null ? 0 : resumeFrom.epochsDone();
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
        if (resumeFrom != null) {
            if (settings.optimizer() == OptimizerKind.GD
                    || settings.optimizer() == OptimizerKind.DJL_ADAM) {
                throw new InvalidSettingException(
                        "resume",
                        settings.optimizer().label()
                                + " cannot resume: "
                                + (settings.optimizer() == OptimizerKind.GD
                                        ? "full-batch training writes no checkpoints"
                                        : "DJL keeps its moments where no checkpoint can reach"
                                                + " them; use adam"));
            }
            resumeFrom.checkSameRun(describe(null), Set.of(DATA));
            if (settings.epochs() < resumeFrom.epochsDone()) {
                throw new InvalidSettingException(
                        "epochs",
                        "must be at least the "
                                + resumeFrom.epochsDone()
                                + " epoch(s) "
                                + resumeFrom.dir()
                                + " has finished, got "
                                + settings.epochs());
            }
        }
    }

    private static final String DATA = "data";

    /** What makes a run the same run, under the command line's names, for its checkpoints. */
    private Map<String, String> describe(Map<String, String> dataSha256) {
        Map<String, String> run = new LinkedHashMap<>();
        run.put("batch-size", Integer.toString(settings.batchSize()));
        run.put("lr", Double.toString(settings.learningRate()));
        run.put("seed", Long.toString(settings.seed()));
        run.put("max-batches", Integer.toString(settings.maxBatches()));
        run.put("optimizer", settings.optimizer().label());
        run.put("momentum", Double.toString(settings.momentum()));
        run.put("loss", settings.loss().label());
        run.put("hidden", architecture.hiddenSpec());
        run.put("activation", architecture.activation().label());
        run.put("variant", architecture.variant().label());
        run.put("order", order == null ? "shuffled by the seed" : "file sha256 " + orderSha256());
        if (dataSha256 != null) {
            run.put(DATA, new TreeMap<>(dataSha256).toString());
        }
        return run;
    }

    /**
     * Builds, initialises and trains the network; evaluates on the test set after each epoch.
     *
     * @param listener hears the start, every step and every epoch
     * @return the trained model; the caller closes it
     * @throws IOException if a weights or order file cannot be read or written
     */
    public TrainedModel run(RunListener listener) throws IOException {
        check();
        if (data == null) {
            throw new IllegalStateException("no data to train on: call data(mnist) first");
        }
        Checkpoints plan = Checkpoints.NONE;
        AtomicDirectory.Lock runLock = null;
        if (checkpointTo != null || resumeFrom != null) {
            Map<String, String> run = describe(data.sha256());
            if (resumeFrom != null) {
                resumeFrom.checkSameRun(run, Set.of());
            }
            if (checkpointTo != null) {
                runLock =
                        AtomicDirectory.exclusive(
                                checkpointTo,
                                "run",
                                "another run is training into it right now; try again when it"
                                        + " has finished");
            }
            plan = Checkpoints.plan(checkpointTo, resumeFrom, run);
        }
        try (AtomicDirectory.Lock held = runLock) {
            return run(listener, plan);
        }
    }

    private TrainedModel run(RunListener listener, Checkpoints plan) throws IOException {
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
                            : TrainingLoop.train(
                                    model, data, settings, sampler(model), listener, plan);
            return new TrainedModel(model, architecture, settings, result, data.sha256());
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private String orderSha256() {
        try {
            return Sha256.of(order);
        } catch (IOException e) {
            throw new InvalidSettingException("order", order + ": cannot be read (" + e + ")");
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
