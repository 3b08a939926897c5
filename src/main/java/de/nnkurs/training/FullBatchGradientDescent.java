package de.nnkurs.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;

import de.nnkurs.data.DataLoader;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.model.Models;

/**
 * Full-batch gradient descent: one step per pass over the whole training set.
 *
 * <p>The whole set rarely fits through the network at once, so the gradient is accumulated chunk by
 * chunk. DJL, like PyTorch, adds each backward's gradient to what is there, so backpropagating each
 * chunk's mean loss scaled by {@code chunk/N} sums to the gradient of the mean loss over all N
 * examples; then a single optimizer step (e.g. {@link SlideSgd}) applies it.
 */
public final class FullBatchGradientDescent {

    private FullBatchGradientDescent() {}

    /**
     * Adds the gradient of the mean loss over {@code split} to the parameters' gradients.
     *
     * <p>The gradients should be zero on entry, as every optimizer step leaves them. The trainer's
     * loss must average over the batch, as all DJL losses and {@link SlideLosses} do.
     *
     * @param trainer the trainer; its loss and model are used
     * @param manager the caller's manager; each chunk lives in a sub-manager of it
     * @param split the whole training set
     * @param chunkSize examples per forward pass; only memory depends on it, not the result
     * @return the mean loss over {@code split}
     */
    public static float accumulateGradient(
            Trainer trainer, NDManager manager, MnistSplit split, int chunkSize) {
        int n = split.count();
        double total = 0;
        for (Batch chunk : new DataLoader(manager, split, chunkSize, false, null)) {
            try (chunk) {
                NDArray images = chunk.getData().head();
                NDArray x = Models.flatten(images);
                NDArray labels = chunk.getLabels().head();
                // Weighting each chunk's mean by chunk/N makes the sum the mean over all N.
                float weight = (float) chunk.getSize() / n;
                try (GradientCollector tape = trainer.newGradientCollector()) {
                    NDArray prediction = trainer.forward(new NDList(x)).head();
                    NDArray loss =
                            trainer.getLoss().evaluate(new NDList(labels), new NDList(prediction));
                    NDArray share = loss.mul(weight);
                    tape.backward(share); // adds to the gradient of the chunks before
                    total += share.getFloat();
                }
            }
        }
        return (float) total;
    }

    /**
     * Takes one gradient-descent step on the gradient of the whole {@code split}.
     *
     * @param trainer the trainer, whose optimizer applies the step and zeroes the gradients
     * @param manager the caller's manager; each chunk lives in a sub-manager of it
     * @param split the whole training set
     * @param chunkSize examples per forward pass
     * @return the mean loss over {@code split} before the step
     */
    public static float step(Trainer trainer, NDManager manager, MnistSplit split, int chunkSize) {
        float loss = accumulateGradient(trainer, manager, split, chunkSize);
        trainer.step(); // optimizer.step(), once per pass over the data
        return loss;
    }
}
