package de.nnkurs.training;

import java.util.List;
import java.util.Optional;

/**
 * What a training run produced.
 *
 * @param epochs one result per epoch; a run that diverged ends with the epoch it diverged in
 * @param stepLosses the loss of every optimizer step, in order
 * @param testPredictions the predicted class of every test image after the last epoch
 * @param divergence where the loss first became NaN or infinite, which stopped the run; empty if it
 *     never did
 */
public record TrainingResult(
        List<EpochResult> epochs,
        List<Float> stepLosses,
        int[] testPredictions,
        Optional<Step> divergence) {

    /**
     * A step of the run.
     *
     * @param epoch the epoch, from 1
     * @param step the step within the epoch, from 1
     * @param loss that step's loss
     */
    public record Step(int epoch, int step, float loss) {}

    /** Returns the test accuracy after the last epoch. */
    public double finalAccuracy() {
        return epochs.get(epochs.size() - 1).testAccuracy();
    }
}
