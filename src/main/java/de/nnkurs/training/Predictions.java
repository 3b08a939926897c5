package de.nnkurs.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;

import de.nnkurs.data.DataLoader;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.data.Sampler;
import de.nnkurs.model.Models;

import java.util.function.Function;

/** Test accuracy: the share of images whose most probable class is the label. */
public final class Predictions {

    private static final int EVAL_BATCH = 1000;

    private Predictions() {}

    /**
     * Predicts the class of every example of a split, without recording gradients.
     *
     * @param trainer the trainer whose parameters are used
     * @param manager the caller's manager; each batch lives and dies in a sub-manager of it
     * @param split the examples, in file order
     * @return the most probable class of each example
     */
    public static int[] predict(Trainer trainer, NDManager manager, MnistSplit split) {
        return predict(x -> trainer.evaluate(new NDList(x)).head(), manager, split);
    }

    /**
     * Predicts the class of every example of a split with a block's current weights.
     *
     * @param block an initialised block
     * @param manager the caller's manager; each batch lives and dies in a sub-manager of it
     * @param split the examples, in file order
     * @return the most probable class of each example
     */
    public static int[] predict(Block block, NDManager manager, MnistSplit split) {
        ParameterStore ps = new ParameterStore(manager, false);
        return predict(x -> block.forward(ps, new NDList(x), false).head(), manager, split);
    }

    private static int[] predict(
            Function<NDArray, NDArray> model, NDManager manager, MnistSplit split) {
        DataLoader testloader = new DataLoader(manager, split, EVAL_BATCH, Sampler.sequential());
        int[] predictions = new int[split.count()];
        int next = 0;
        for (Batch batch : testloader) {
            try (batch) {
                NDArray images = batch.getData().head();
                NDArray x = Models.flatten(images);
                NDArray prediction = model.apply(x);
                int[] classes = prediction.argMax(1).toType(DataType.INT32, false).toIntArray();
                System.arraycopy(classes, 0, predictions, next, classes.length);
                next += classes.length;
            }
        }
        return predictions;
    }

    /**
     * Returns the share of predictions that equal the labels.
     *
     * @param predictions one class per example
     * @param split the examples with their labels
     * @return correct / total
     */
    public static double of(int[] predictions, MnistSplit split) {
        long correct = 0;
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] == split.labels()[i]) {
                correct++;
            }
        }
        return (double) correct / split.count();
    }
}
