package de.nnkurs.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import de.nnkurs.data.DataLoader;
import de.nnkurs.data.MnistSplit;

/** Test accuracy: the share of images whose most probable class is the label. */
public final class Accuracy {

    private static final int EVAL_BATCH = 1000;

    private Accuracy() {}

    /**
     * Evaluates the trainer's model on a split, without recording gradients.
     *
     * @param trainer the trainer whose parameters are used
     * @param manager the caller's manager; each batch lives and dies in a sub-manager of it
     * @param split the examples, in file order
     * @return correct / total
     */
    public static double of(Trainer trainer, NDManager manager, MnistSplit split) {
        DataLoader testloader = new DataLoader(manager, split, EVAL_BATCH, false, null);
        long correct = 0;
        for (Batch batch : testloader) {
            try (batch) {
                NDArray images = batch.getData().head();
                NDArray x = images.reshape(images.getShape().get(0), -1);
                NDArray prediction = trainer.evaluate(new NDList(x)).head();
                NDArray predicted = prediction.argMax(1);
                correct += predicted.eq(batch.getLabels().head()).sum().getLong();
            }
        }
        return (double) correct / split.count();
    }
}
