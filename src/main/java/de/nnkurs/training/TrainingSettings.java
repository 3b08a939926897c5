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
        return new TrainingSettings(
                Lesson.EPOCHS,
                Lesson.BATCH_SIZE,
                Lesson.LEARNING_RATE,
                Lesson.SEED,
                0,
                OptimizerKind.ADAM);
    }

    /** Returns these settings with another number of epochs. */
    public TrainingSettings withEpochs(int n) {
        return new TrainingSettings(
                n, batchSize, learningRate, seed, maxBatches, optimizer, momentum, loss);
    }

    /** Returns these settings with another seed. */
    public TrainingSettings withSeed(long s) {
        return new TrainingSettings(
                epochs, batchSize, learningRate, s, maxBatches, optimizer, momentum, loss);
    }

    /** Returns these settings with another learning rate. */
    public TrainingSettings withLearningRate(double lr) {
        return new TrainingSettings(
                epochs, batchSize, lr, seed, maxBatches, optimizer, momentum, loss);
    }

    /** Returns these settings stopping each epoch after {@code n} batches (0: whole epochs). */
    public TrainingSettings withMaxBatches(int n) {
        return new TrainingSettings(
                epochs, batchSize, learningRate, seed, n, optimizer, momentum, loss);
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
