package de.nnkurs.run;

import ai.djl.Model;
import ai.djl.nn.Block;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.data.MnistData;
import de.nnkurs.data.OrderFile;
import de.nnkurs.data.Sampler;
import de.nnkurs.data.Sha256;
import de.nnkurs.io.AtomicDirectory;
import de.nnkurs.io.FileChecks;
import de.nnkurs.compare.RunRecord;
import de.nnkurs.export.ModelFolder;
import de.nnkurs.export.ServingFolder;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.EngineThreads;
import de.nnkurs.model.LibTorchFiles;
import de.nnkurs.model.Models;
import de.nnkurs.model.StateDict;
import de.nnkurs.model.Variant;
import de.nnkurs.training.Checkpoints;
import de.nnkurs.training.FullBatchTraining;
import de.nnkurs.training.LossKind;
import de.nnkurs.training.OptimizerKind;
import de.nnkurs.training.RunListener;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.TrainingLoop;
import de.nnkurs.training.TrainingResult;
import de.nnkurs.training.TrainingSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One whole training run, the entry point that {@code train}, the notebooks and your own Java
 * share: build the network, initialise it, train it with the slides' loop and hand back the trained
 * model; optionally also resume an interrupted run, save the model folder with a checkpoint after
 * every epoch, and export it for DJL Serving. The same settings give the same floats from every
 * front end: the run also chooses libtorch's thread count ({@link EngineThreads}).
 *
 * <pre>{@code
 * MnistData mnist = MnistData.load(MnistFetcher.ensure(Path.of("data/mnist")));
 * try (TrainedModel trained =
 *         TrainingRun.lesson().data(mnist).saveTo(Path.of("models/mnist")).exportForServing()
 *                 .run(RunListener.printEpochs(System.out))) {
 *     System.out.println(trained.testAccuracy());
 * }
 * }</pre>
 *
 * <p>Every setter checks its value at once and throws {@link InvalidSettingException} naming the
 * setting; {@link #check()} checks how the settings combine. A run whose loss becomes NaN or
 * infinite is refused: {@link #run} throws, and nothing is saved.
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
    private Path saveTo;
    private boolean resume;
    private boolean export;
    private Path record;
    private Integer threads;
    private boolean keepDiverged;

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
        FileChecks.writableFile("save-init", file);
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
        FileChecks.writableFile("save-order", file);
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

    /**
     * Saves the trained model into this folder (atomically, with {@code metadata.json}) and writes
     * a checkpoint beside it after every epoch ({@code models/mnist.checkpoint}), which is removed
     * once the model is saved.
     *
     * @param dir the model folder, e.g. {@code models/mnist}; its name becomes the model's name
     * @return this run
     * @throws InvalidSettingException (setting {@code output}) if the folder holds something else
     *     or cannot be written
     */
    public TrainingRun saveTo(Path dir) {
        ModelFolder.checkTarget("output", dir);
        saveTo = dir;
        checkpointTo = Checkpoints.beside(dir);
        return this;
    }

    /**
     * Continues the interrupted run whose checkpoint lies beside the {@link #saveTo} folder.
     *
     * @return this run
     */
    public TrainingRun resume() {
        resume = true;
        return this;
    }

    /**
     * Also exports the saved model for DJL Serving, into {@code serving/} beside the model folder
     * ({@code models/serving/mnist} and {@code models/serving-zip/mnist.zip}).
     *
     * @return this run
     */
    public TrainingRun exportForServing() {
        export = true;
        return this;
    }

    /**
     * Writes every step's loss and the test predictions as JSON when the run ends, also when it
     * diverged, for the side-by-side comparison with Python.
     *
     * @param file the JSON file
     * @return this run
     */
    public TrainingRun saveRecord(Path file) {
        FileChecks.writableFile("save-record", file);
        record = file;
        return this;
    }

    /**
     * Trains on this many libtorch threads instead of the lesson's choice for the network.
     *
     * @param n threads, 1 to {@value EngineThreads#MAX}
     * @return this run
     */
    public TrainingRun threads(int n) {
        EngineThreads.check(n);
        threads = n;
        return this;
    }

    /**
     * Hands back a run whose loss diverged instead of refusing it, e.g. to show where it went
     * wrong; such a run cannot be saved.
     *
     * @return this run
     */
    public TrainingRun keepDiverged() {
        keepDiverged = true;
        return this;
    }

    /**
     * Returns what is trained how, e.g. {@code Training 784-64-64-64-10 (relu, final Softmax) on
     * 60000 images, 2 epoch(s), batch size 256, adam lr 0.003, seed 1}.
     */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "Training %s (%s, %s) on %s images, %d epoch(s), batch size %d, %s lr %s, seed %d",
                architecture.describe(),
                architecture.activation().label(),
                architecture.variant() == Variant.SLIDES ? "final Softmax" : "logits",
                data == null ? "the" : Integer.toString(data.train().count()),
                settings.epochs(),
                settings.batchSize(),
                settings.optimizer().label(),
                settings.learningRate(),
                settings.seed());
    }

    /**
     * Checks how the settings combine; {@link #run} calls it too.
     *
     * @throws InvalidSettingException naming a setting that does not fit the others
     */
    public void check() {
        if (resume && resumeFrom == null) {
            if (saveTo == null) {
                throw new InvalidSettingException(
                        "resume", "needs the model folder whose checkpoint it continues (output)");
            }
            try {
                resumeFrom = Checkpoints.read(checkpointTo);
            } catch (IOException e) {
                throw new InvalidSettingException("resume", e.getMessage());
            }
        }
        if (checkpointTo != null && resumeFrom == null) {
            Checkpoints.checkTarget(saveTo != null ? "output" : "checkpoints", checkpointTo);
        }
        if (export) {
            if (saveTo == null) {
                throw new InvalidSettingException(
                        "export", "needs a model folder to export (output); a dry run saves none");
            }
            ServingFolder.check(architecture);
            try {
                ServingFolder.servedName(saveTo);
            } catch (InvalidDataException e) {
                throw new InvalidSettingException("output", e.getMessage());
            }
        }
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
        if ((order != null || saveOrder != null) && data != null) {
            // Before the first step (run checks again once the data is there).
            OrderFile.checkSize(
                    order != null ? "order" : "save-order",
                    settings.epochs(),
                    data.train().count());
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
            if (initialWeights != null) {
                throw new InvalidSettingException(
                        "init",
                        initialWeights
                                + ": a resumed run continues from the weights of "
                                + resumeFrom.dir()
                                + ", not from a file; leave out one of init and resume");
            }
            resumeFrom.checkSameRun(identity(null), Set.of(DATA));
            if (settings.epochs() < resumeFrom.runEpochs()) {
                throw new InvalidSettingException(
                        "epochs",
                        "is "
                                + settings.epochs()
                                + ", but "
                                + resumeFrom.dir()
                                + " is the checkpoint of a "
                                + resumeFrom.runEpochs()
                                + "-epoch run: give "
                                + resumeFrom.runEpochs()
                                + " or more to continue it (the checkpoint stays)");
            }
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
    private Map<String, String> identity(Map<String, String> dataSha256) {
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
     * Builds, initialises and trains the network, evaluating on the test set after each epoch;
     * then, as set, saves the model folder, removes the checkpoint and exports for DJL Serving.
     *
     * @param listener hears the notes, every step and every epoch
     * @return the trained model; the caller closes it
     * @throws InvalidDataException if the loss diverged (unless {@link #keepDiverged}): nothing is
     *     saved, and the last good checkpoint stays
     * @throws IOException if a weights, order, checkpoint or model file cannot be read or written
     */
    public TrainedModel run(RunListener listener) throws IOException {
        check();
        if (data == null) {
            throw new IllegalStateException("no data to train on: call data(mnist) first");
        }
        int count = threads != null ? threads : EngineThreads.chosenFor(architecture);
        LibTorchFiles.ensureIntact(listener::onNote); // before the engine loads it
        int before = EngineThreads.use(count);
        try {
            listener.onNote(describe());
            noteCheckpoint(listener);
            TrainedModel trained = trainLocked(listener);
            try {
                finish(trained, listener);
                return trained;
            } catch (IOException | RuntimeException e) {
                trained.close();
                throw e;
            }
        } finally {
            EngineThreads.use(before);
        }
    }

    private void noteCheckpoint(RunListener listener) {
        if (resumeFrom != null) {
            listener.onNote(
                    String.format(
                            Locale.ROOT,
                            "Resuming from %s after epoch %d of %d",
                            resumeFrom.dir(),
                            resumeFrom.epochsDone(),
                            settings.epochs()));
        } else if (checkpointTo != null && Checkpoints.isCheckpoint(checkpointTo)) {
            listener.onNote(
                    "Note: "
                            + checkpointTo
                            + " holds an interrupted run's checkpoint; this run starts afresh and"
                            + " replaces it after its first epoch (resuming continues it instead)");
        }
    }

    /** Reports, records, refuses a diverged run, saves, cleans up and exports. */
    private void finish(TrainedModel trained, RunListener listener) throws IOException {
        listener.onNote(
                String.format(
                        Locale.ROOT,
                        "Test accuracy after %d epoch(s): %.4f",
                        trained.result().epochs().size(),
                        trained.testAccuracy()));
        if (trained.diverged()) {
            writeRecord(trained, null); // also for a diverged run: it shows where
            if (checkpointTo != null && Checkpoints.isCheckpoint(checkpointTo)) {
                listener.onNote("The last good checkpoint stays in " + checkpointTo);
            }
            if (!keepDiverged) {
                ModelFolder.refuseDiverged(trained, saveTo); // the old model stays
            }
            return;
        }
        if (saveTo == null) {
            writeRecord(trained, null);
            return;
        }
        ModelFolder.save(trained, saveTo); // first: a record that cannot be written loses no model
        listener.onNote("Saved " + saveTo);
        if (Checkpoints.delete(checkpointTo) && resumeFrom != null) {
            listener.onNote("Removed " + checkpointTo + ": the run is complete");
        }
        if (export) {
            Path folder = ServingFolder.exportBeside(saveTo);
            listener.onNote("Exported " + folder + " and " + ServingFolder.zipFor(folder));
        }
        writeRecord(trained, saveTo);
    }

    /** Writes the run record, if asked; a failure names the record and the model kept. */
    private void writeRecord(TrainedModel trained, Path saved) throws IOException {
        if (record == null) {
            return;
        }
        try {
            RunRecord.ofJava(trained).write(record);
        } catch (IOException e) {
            throw new IOException(
                    e.getMessage() + (saved == null ? "" : "; the model is saved in " + saved), e);
        }
    }

    private TrainedModel trainLocked(RunListener listener) throws IOException {
        Checkpoints plan = Checkpoints.NONE;
        AtomicDirectory.Lock runLock = null;
        if (checkpointTo != null || resumeFrom != null) {
            Map<String, String> run = identity(data.sha256());
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
            plan = Checkpoints.plan(checkpointTo, resumeFrom, run, settings.epochs());
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
        if (saveOrder != null) {
            // The same draws as the run's own below, written one epoch at a time: an order file
            // of many epochs never has to fit into memory.
            OrderFile.write(
                    saveOrder,
                    settings.epochs(),
                    count,
                    Sampler.random(new Random(settings.seed())));
        }
        return Sampler.random(new Random(settings.seed()));
    }
}
