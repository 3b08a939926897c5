package de.nnkurs.training;

import de.nnkurs.Lesson;

/**
 * The knobs of the slides' loop.
 *
 * @param epochs passes over the training set
 * @param batchSize examples per optimizer step
 * @param learningRate Adam's learning rate
 * @param seed seeds the weight initialisation and the shuffling
 * @param maxBatches stop each epoch after this many batches (0 = the whole epoch)
 */
public record TrainingSettings(
        int epochs, int batchSize, float learningRate, long seed, int maxBatches) {

    /** Checks the values. */
    public TrainingSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException(
                    "learning rate must be a positive number, got " + learningRate);
        }
        if (maxBatches < 0) {
            throw new IllegalArgumentException("maxBatches must be 0 or more, got " + maxBatches);
        }
    }

    /** Returns the hands-on's settings: 2 epochs, batch 256, lr 0.003, seed 1. */
    public static TrainingSettings lesson() {
        return new TrainingSettings(
                Lesson.EPOCHS, Lesson.BATCH_SIZE, Lesson.LEARNING_RATE, Lesson.SEED, 0);
    }

    /** Returns the number of batches an epoch runs, given the loader's full count. */
    int batchesPerEpoch(int loaderBatches) {
        return maxBatches == 0 ? loaderBatches : Math.min(maxBatches, loaderBatches);
    }
}
