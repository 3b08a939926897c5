package de.nnkurs.training;

/** Receives progress from {@link TrainingLoop}; both methods do nothing by default. */
public interface TrainingListener {

    /**
     * Called after every optimizer step.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch within the epoch, from 1
     * @param batches the number of batches this epoch will run
     * @param loss this step's loss
     */
    default void onStep(int epoch, int batch, int batches, float loss) {}

    /**
     * Called after each epoch's evaluation.
     *
     * @param result the epoch's figures
     */
    default void onEpoch(EpochResult result) {}
}
