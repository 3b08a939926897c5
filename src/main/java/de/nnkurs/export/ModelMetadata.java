package de.nnkurs.export;

import de.nnkurs.training.EpochResult;

import java.util.List;
import java.util.Map;

/**
 * What a saved model folder records about how it was made ({@code metadata.json}).
 *
 * @param name the model name, equal to the folder name and the parameter file prefix
 * @param variant {@code slides} (final Softmax) or {@code logits}
 * @param architecture layer widths, e.g. {@code 784-64-64-64-10}
 * @param activation the hidden-layer activation
 * @param epochs epochs trained
 * @param batchSize examples per step
 * @param learningRate the learning rate
 * @param seed the random seed
 * @param optimizer the optimizer
 * @param loss the loss it minimised, e.g. {@code cross-entropy}
 * @param testAccuracy test accuracy after the last epoch
 * @param history per-epoch loss, accuracy and seconds
 * @param dataSha256 sha256 of each data file, by file name
 * @param djlVersion the DJL version that trained it
 * @param engine the engine and its version, e.g. {@code PyTorch 2.7.1}
 * @param created ISO-8601 time of saving
 */
public record ModelMetadata(
        String name,
        String variant,
        String architecture,
        String activation,
        int epochs,
        int batchSize,
        double learningRate,
        long seed,
        String optimizer,
        String loss,
        double testAccuracy,
        List<EpochResult> history,
        Map<String, String> dataSha256,
        String djlVersion,
        String engine,
        String created) {

    /** File name of the metadata inside a model folder. */
    public static final String FILE_NAME = "metadata.json";
}
