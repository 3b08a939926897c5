package de.nnkurs.cli;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.Lesson;
import de.nnkurs.training.LossKind;
import de.nnkurs.training.OptimizerKind;
import de.nnkurs.training.TrainingSettings;

import picocli.CommandLine.Option;

/** The knobs of the slides' loop, as {@code pytorch/examples}' {@code main.py} names them. */
final class TrainingOptions {

    /** Batches per epoch in a {@code --dry-run}. */
    static final int DRY_RUN_BATCHES = 5;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "" + Lesson.EPOCHS,
            description = "number of epochs to train (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "" + Lesson.BATCH_SIZE,
            description = "input batch size for training (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "" + Lesson.LEARNING_RATE,
            description = "learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "" + Lesson.SEED,
            description =
                    "random seed for initial weights and shuffling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--optimizer",
            paramLabel = "NAME",
            defaultValue = "adam",
            converter = Choices.Optimizer.class,
            description =
                    "adam (PyTorch's update, exactly), djl-adam (DJL's Adam), sgd, momentum"
                            + " (v = β·v + α·g; θ = θ − v) or gd (full batch: one step per epoch)"
                            + " (default: ${DEFAULT-VALUE})")
    OptimizerKind optimizer;

    @Option(
            names = "--momentum",
            paramLabel = "BETA",
            defaultValue = "" + OptimizerKind.MOMENTUM_BETA,
            description = "β of --optimizer momentum (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(
            names = "--loss",
            paramLabel = "NAME",
            defaultValue = "cross-entropy",
            converter = Choices.Loss.class,
            description =
                    "cross-entropy (nn.CrossEntropyLoss, as in the slides' code), slide-ce (−Σ y·ln"
                            + " ŷ on the Softmax output) or mse (1/N Σ (y − ŷ)², one-hot y)"
                            + " (default: ${DEFAULT-VALUE})")
    LossKind loss;

    @Option(
            names = "--max-batches",
            paramLabel = "N",
            defaultValue = "0",
            description = "stop each epoch after N batches; 0 runs whole epochs (default: 0)")
    int maxBatches;

    @Option(
            names = "--dry-run",
            description =
                    "quickly check a single pass: 1 epoch of "
                            + DRY_RUN_BATCHES
                            + " batches, nothing saved")
    boolean dryRun;

    /** Returns the settings; {@link TrainingSettings} checks every value. */
    TrainingSettings settings() {
        if (dryRun && optimizer == OptimizerKind.GD) {
            throw new InvalidSettingException(
                    "dry-run", "does not apply to --optimizer gd, which steps once per epoch");
        }
        return TrainingSettings.builder()
                .optEpochs(dryRun ? 1 : epochs)
                .optBatchSize(batchSize)
                .optLearningRate(lr)
                .optSeed(seed)
                .optMaxBatches(dryRun ? DRY_RUN_BATCHES : maxBatches)
                .optOptimizer(optimizer)
                .optMomentum(momentum)
                .optLoss(loss)
                .build();
    }
}
