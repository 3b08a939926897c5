package de.nnkurs.training;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;

import de.nnkurs.data.MnistData;
import de.nnkurs.model.Models;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gradient descent as the slides define it before SGD: θ ← θ − α·∂Loss/∂θ with the gradient of the
 * loss over the whole training set, so one update per epoch.
 */
public final class FullBatchTraining {

    /** Examples per forward pass while the gradient is summed; only memory depends on it. */
    private static final int CHUNK = 10_000;

    private FullBatchTraining() {}

    /**
     * Trains with one full-batch step per epoch and evaluates after each.
     *
     * @param model the model whose block is trained; initialised here if it is not yet
     * @param data training and test sets
     * @param settings epochs, learning rate, seed and loss (batch size is unused)
     * @param listener gets one step per epoch, then the epoch's result
     * @return one loss per step (the whole-set loss before it) and the epoch results
     */
    public static TrainingResult train(
            Model model, MnistData data, TrainingSettings settings, RunListener listener) {
        if (settings.optimizer() != OptimizerKind.GD) {
            throw new IllegalArgumentException(
                    "full-batch training steps with optimizer gd, not "
                            + settings.optimizer().label());
        }
        NDManager manager = model.getNDManager();
        if (!model.getBlock().isInitialized()) {
            Models.initialize(model.getBlock(), manager, settings.seed());
        }
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(settings.createLoss())
                        .optOptimizer(settings.createOptimizer());
        List<Float> losses = new ArrayList<>();
        List<EpochResult> epochs = new ArrayList<>();
        int[] predictions = new int[0];
        TrainingResult.Step diverged = null;
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(Models.INPUT_SHAPE);
            listener.onTrainingBegin(model);
            for (int e = 0; e < settings.epochs(); e++) {
                long start = System.nanoTime();
                float loss = FullBatchGradientDescent.step(trainer, manager, data.train(), CHUNK);
                losses.add(loss);
                listener.onStep(e + 1, 1, 1, loss);
                double seconds = (System.nanoTime() - start) / 1e9;
                predictions = Predictions.predict(trainer, manager, data.test());
                EpochResult result =
                        new EpochResult(
                                e + 1, loss, Predictions.of(predictions, data.test()), seconds);
                epochs.add(result);
                listener.onEpoch(result);
                if (!Float.isFinite(loss)) {
                    diverged = new TrainingResult.Step(e + 1, 1, loss);
                    break;
                }
            }
        }
        return new TrainingResult(epochs, losses, predictions, Optional.ofNullable(diverged));
    }
}
