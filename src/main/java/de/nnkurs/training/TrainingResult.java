package de.nnkurs.training;

import java.util.List;

/**
 * What a training run produced.
 *
 * @param epochs one result per epoch
 * @param stepLosses the loss of every optimizer step, in order
 * @param testPredictions the predicted class of every test image after the last epoch
 */
public record TrainingResult(
        List<EpochResult> epochs, List<Float> stepLosses, int[] testPredictions) {

    /** Returns the loss of the last step, NaN if there was none. */
    public float lastLoss() {
        return stepLosses.isEmpty() ? Float.NaN : stepLosses.get(stepLosses.size() - 1);
    }

    /** Returns the test accuracy after the last epoch. */
    public double finalAccuracy() {
        return epochs.get(epochs.size() - 1).testAccuracy();
    }
}
