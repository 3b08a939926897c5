package de.nnkurs.cli;

import de.nnkurs.training.LossKind;
import de.nnkurs.training.OptimizerKind;
import de.nnkurs.training.TrainingSettings;

import picocli.CommandLine.Option;

/**
 * The knobs of the slides' loop, as {@code pytorch/examples}' {@code main.py} names them; every
 * default is the library's ({@link TrainingSettings#lesson()}).
 */
final class TrainingOptions {

    private static final TrainingSettings LESSON = TrainingSettings.lesson();

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "number of epochs to train (default: ${DEFAULT-VALUE})")
    int epochs = LESSON.epochs();

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "input batch size for training (default: ${DEFAULT-VALUE})")
    int batchSize = LESSON.batchSize();

    @Option(
            names = "--lr",
            paramLabel = "LR",
            description = "learning rate (default: ${DEFAULT-VALUE})")
    double lr = LESSON.learningRate();

    @Option(
            names = "--seed",
            paramLabel = "S",
            description =
                    "random seed for initial weights and shuffling (default: ${DEFAULT-VALUE})")
    long seed = LESSON.seed();

    @Option(
            names = "--optimizer",
            paramLabel = "NAME",
            converter = Choices.Optimizer.class,
            description =
                    "adam (PyTorch's update, exactly), djl-adam (DJL's Adam), sgd, momentum"
                            + " (v = β·v + α·g; θ = θ − v) or gd (full batch: one step per epoch)"
                            + " (default: ${DEFAULT-VALUE})")
    OptimizerKind optimizer = LESSON.optimizer();

    @Option(
            names = "--momentum",
            paramLabel = "BETA",
            description = "β of --optimizer momentum (default: ${DEFAULT-VALUE})")
    double momentum = LESSON.momentum();

    @Option(
            names = "--loss",
            paramLabel = "NAME",
            converter = Choices.Loss.class,
            description =
                    "cross-entropy (nn.CrossEntropyLoss, as in the slides' code), slide-ce (−Σ y·ln"
                            + " ŷ on the Softmax output) or mse (1/N Σ (y − ŷ)², one-hot y)"
                            + " (default: ${DEFAULT-VALUE})")
    LossKind loss = LESSON.loss();

    @Option(
            names = "--max-batches",
            paramLabel = "N",
            description =
                    "stop each epoch after N batches; 0 runs whole epochs (default:"
                            + " ${DEFAULT-VALUE})")
    int maxBatches = LESSON.maxBatches();

    @Option(
            names = "--dry-run",
            description =
                    "quickly check a single pass: 1 epoch of "
                            + TrainingSettings.DRY_RUN_BATCHES
                            + " batches, nothing saved")
    boolean dryRun;

    /** Returns the settings; {@link TrainingSettings} checks every value. */
    TrainingSettings settings() {
        TrainingSettings settings =
                TrainingSettings.builder()
                        .optEpochs(epochs)
                        .optBatchSize(batchSize)
                        .optLearningRate(lr)
                        .optSeed(seed)
                        .optMaxBatches(maxBatches)
                        .optOptimizer(optimizer)
                        .optMomentum(momentum)
                        .optLoss(loss)
                        .build();
        return dryRun ? settings.dryRun() : settings;
    }
}
