package de.nnkurs.training;

import ai.djl.Model;
import ai.djl.nn.Block;

import de.nnkurs.data.MnistSplit;
import de.nnkurs.model.Architecture;

import java.util.Map;

/**
 * A model fresh from a {@code TrainingRun}, with what went into it and what came out; save it with
 * {@code ModelFolder.save(trained, dir)}. Closing it frees the weights' native memory.
 */
public final class TrainedModel implements AutoCloseable {

    private final Model model;
    private final Architecture architecture;
    private final TrainingSettings settings;
    private final TrainingResult result;
    private final Map<String, String> dataSha256;

    /**
     * Wraps a trained model with what went into it.
     *
     * @param model the model; closing this object closes it
     * @param architecture the network's design
     * @param settings the settings it was trained with
     * @param result what the training produced
     * @param dataSha256 the sha256 of each data file, by file name
     */
    public TrainedModel(
            Model model,
            Architecture architecture,
            TrainingSettings settings,
            TrainingResult result,
            Map<String, String> dataSha256) {
        this.model = model;
        this.architecture = architecture;
        this.settings = settings;
        this.result = result;
        this.dataSha256 = Map.copyOf(dataSha256);
    }

    /** Returns the DJL model; its block holds the trained weights. */
    public Model model() {
        return model;
    }

    /** Returns the trained network. */
    public Block block() {
        return model.getBlock();
    }

    /** Returns the network's design. */
    public Architecture architecture() {
        return architecture;
    }

    /** Returns the settings it was trained with. */
    public TrainingSettings settings() {
        return settings;
    }

    /** Returns the per-step losses, per-epoch results and final test predictions. */
    public TrainingResult result() {
        return result;
    }

    /** Returns the sha256 of each data file it was trained and tested on, by file name. */
    public Map<String, String> dataSha256() {
        return dataSha256;
    }

    /** Returns the test accuracy after the last epoch. */
    public double testAccuracy() {
        return result.finalAccuracy();
    }

    /**
     * Returns whether the loss became NaN or infinite, which stopped the run: the weights are
     * useless.
     */
    public boolean diverged() {
        return result.divergence().isPresent();
    }

    /**
     * Predicts the digit of every example of a split.
     *
     * @param split e.g. the test set
     * @return the most probable class of each example, in order
     */
    public int[] predict(MnistSplit split) {
        return Predictions.predict(model.getBlock(), model.getNDManager(), split);
    }

    @Override
    public void close() {
        model.close();
    }
}
