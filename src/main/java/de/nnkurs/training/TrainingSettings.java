package de.nnkurs.training;

import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.Lesson;

/**
 * The knobs of the slides' loop; the constructor checks each value, so a settings object is always
 * usable.
 *
 * @param epochs passes over the training set
 * @param batchSize examples per optimizer step
 * @param learningRate the optimizer's learning rate (a double, as Python's {@code lr=0.003} is)
 * @param seed seeds the weight initialisation and the shuffling, 0 to {@value Integer#MAX_VALUE}
 * @param maxBatches stop each epoch after this many batches (0 = the whole epoch)
 * @param optimizer which optimizer to use
 * @param momentum β of the momentum optimizer (ignored by the others)
 * @param loss which loss to minimise
 */
public record TrainingSettings(
        int epochs,
        int batchSize,
        double learningRate,
        long seed,
        int maxBatches,
        OptimizerKind optimizer,
        double momentum,
        LossKind loss) {

    /** Checks the values; the messages use the command line's names without dashes. */
    public TrainingSettings {
        if (epochs < 1) {
            throw new InvalidSettingException("epochs", "must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new InvalidSettingException("batch-size", "must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new InvalidSettingException(
                    "lr", "must be a positive number, got " + learningRate);
        }
        if (seed < 0 || seed > Integer.MAX_VALUE) {
            // The engine's generator takes an int seed.
            throw new InvalidSettingException(
                    "seed", "must be in 0.." + Integer.MAX_VALUE + ", got " + seed);
        }
        if (maxBatches < 0) {
            throw new InvalidSettingException(
                    "max-batches", "must be 0 or more, got " + maxBatches);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidSettingException("momentum", "must be in [0, 1), got " + momentum);
        }
        if (optimizer == null) {
            throw new InvalidSettingException("optimizer", "is missing");
        }
        if (loss == null) {
            throw new InvalidSettingException("loss", "is missing");
        }
    }

    /** Returns the hands-on's settings: 2 epochs, batch 256, Adam with lr 0.003, seed 1. */
    public static TrainingSettings lesson() {
        return builder().build();
    }

    /**
     * Returns a builder that starts from the hands-on's settings ({@link #lesson()}).
     *
     * <pre>{@code
     * TrainingSettings.builder().optEpochs(5).optSeed(3).build()
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Batches per epoch in a {@link #dryRun()}. */
    public static final int DRY_RUN_BATCHES = 5;

    /**
     * Returns these settings cut down to a quick check of a single pass: 1 epoch of {@value
     * #DRY_RUN_BATCHES} batches.
     *
     * @throws InvalidSettingException (setting {@code dry-run}) for full-batch gradient descent,
     *     which steps once per epoch
     */
    public TrainingSettings dryRun() {
        if (optimizer == OptimizerKind.GD) {
            throw new InvalidSettingException(
                    "dry-run", "does not apply to optimizer gd, which steps once per epoch");
        }
        return toBuilder().optEpochs(1).optMaxBatches(DRY_RUN_BATCHES).build();
    }

    /** Returns a builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder()
                .optEpochs(epochs)
                .optBatchSize(batchSize)
                .optLearningRate(learningRate)
                .optSeed(seed)
                .optMaxBatches(maxBatches)
                .optOptimizer(optimizer)
                .optMomentum(momentum)
                .optLoss(loss);
    }

    /** Builds {@link TrainingSettings}; every value not set is the lesson's. */
    public static final class Builder {
        private int epochs = Lesson.EPOCHS;
        private int batchSize = Lesson.BATCH_SIZE;
        private double learningRate = Lesson.LEARNING_RATE;
        private long seed = Lesson.SEED;
        private int maxBatches;
        private OptimizerKind optimizer = OptimizerKind.ADAM;
        private double momentum = OptimizerKind.MOMENTUM_BETA;
        private LossKind loss = LossKind.CROSS_ENTROPY;

        private Builder() {}

        /** Sets the passes over the training set (default 2). */
        public Builder optEpochs(int value) {
            epochs = value;
            return this;
        }

        /** Sets the examples per step (default 256). */
        public Builder optBatchSize(int value) {
            batchSize = value;
            return this;
        }

        /** Sets the learning rate (default 0.003). */
        public Builder optLearningRate(double value) {
            learningRate = value;
            return this;
        }

        /** Sets the seed of the initial weights and the shuffling (default 1). */
        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /** Stops each epoch after this many batches; 0 (the default) runs whole epochs. */
        public Builder optMaxBatches(int value) {
            maxBatches = value;
            return this;
        }

        /** Sets the optimizer (default Adam, PyTorch's update). */
        public Builder optOptimizer(OptimizerKind value) {
            optimizer = value;
            return this;
        }

        /** Sets β of the momentum optimizer (default 0.9). */
        public Builder optMomentum(double value) {
            momentum = value;
            return this;
        }

        /** Sets the loss (default {@code nn.CrossEntropyLoss}). */
        public Builder optLoss(LossKind value) {
            loss = value;
            return this;
        }

        /**
         * Returns the settings.
         *
         * @throws InvalidSettingException naming the first value that makes no sense
         */
        public TrainingSettings build() {
            return new TrainingSettings(
                    epochs, batchSize, learningRate, seed, maxBatches, optimizer, momentum, loss);
        }
    }

    /** Returns a fresh loss of the chosen kind: {@code criterion = nn.CrossEntropyLoss()}. */
    public Loss createLoss() {
        return loss.create();
    }

    /** Returns a fresh optimizer with these rates: {@code optim.Adam(…, lr=0.003)}. */
    public Optimizer createOptimizer() {
        return optimizer.create(learningRate, momentum);
    }

    /** Returns the number of batches an epoch runs, given the loader's full count. */
    int batchesPerEpoch(int loaderBatches) {
        return maxBatches == 0 ? loaderBatches : Math.min(maxBatches, loaderBatches);
    }
}
