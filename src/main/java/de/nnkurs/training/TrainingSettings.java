package de.nnkurs.training;

import de.nnkurs.Lesson;

/**
 * The knobs of the slides' loop.
 *
 * @param epochs passes over the training set
 * @param batchSize examples per optimizer step
 * @param learningRate the optimizer's learning rate (a double, as Python's {@code lr=0.003} is)
 * @param seed seeds the weight initialisation and the shuffling
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

    /** Settings with the slides' loss ({@code nn.CrossEntropyLoss}) and β = 0.9. */
    public TrainingSettings(
            int epochs,
            int batchSize,
            double learningRate,
            long seed,
            int maxBatches,
            OptimizerKind optimizer) {
        this(
                epochs,
                batchSize,
                learningRate,
                seed,
                maxBatches,
                optimizer,
                OptimizerKind.MOMENTUM_BETA,
                LossKind.CROSS_ENTROPY);
    }

    /** Checks the values. */
    public TrainingSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(
                    "learning rate must be a positive number, got " + learningRate);
        }
        if (maxBatches < 0) {
            throw new IllegalArgumentException("maxBatches must be 0 or more, got " + maxBatches);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
    }

    /** Returns the hands-on's settings: 2 epochs, batch 256, Adam with lr 0.003, seed 1. */
    public static TrainingSettings lesson() {
        return new TrainingSettings(
                Lesson.EPOCHS,
                Lesson.BATCH_SIZE,
                Lesson.LEARNING_RATE,
                Lesson.SEED,
                0,
                OptimizerKind.ADAM);
    }

    /** Returns these settings with another optimizer. */
    public TrainingSettings withOptimizer(OptimizerKind kind) {
        return new TrainingSettings(
                epochs, batchSize, learningRate, seed, maxBatches, kind, momentum, loss);
    }

    /** Returns these settings with another loss. */
    public TrainingSettings withLoss(LossKind kind) {
        return new TrainingSettings(
                epochs, batchSize, learningRate, seed, maxBatches, optimizer, momentum, kind);
    }

    /** Returns the number of batches an epoch runs, given the loader's full count. */
    int batchesPerEpoch(int loaderBatches) {
        return maxBatches == 0 ? loaderBatches : Math.min(maxBatches, loaderBatches);
    }
}
