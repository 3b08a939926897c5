package de.nnkurs.training;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

import de.nnkurs.data.DataLoader;
import de.nnkurs.data.MnistData;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.data.Sampler;
import de.nnkurs.model.FlatParameters;
import de.nnkurs.model.Models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The slides' training loop, statement by statement: each PyTorch line stands as a comment right
 * above the Java statement that does its work (a test holds this table to the code).
 *
 * <table>
 *   <caption>PyTorch line → Java statement</caption>
 *   <tr><td>{@code trainloader = DataLoader(trainset, batch_size=256, shuffle=True)}</td><td>{@code DataLoader trainloader = new DataLoader(manager, trainset, settings.batchSize(), sampler);}</td></tr>
 *   <tr><td>{@code criterion = nn.CrossEntropyLoss()}</td><td>{@code Loss criterion = settings.createLoss();}</td></tr>
 *   <tr><td>{@code model.parameters()}</td><td>{@code FlatParameters parameters = FlatParameters.of(model.getBlock());}</td></tr>
 *   <tr><td>{@code optimizer = optim.Adam(model.parameters(), lr=0.003)}</td><td>{@code Optimizer optimizer = settings.createOptimizer();}</td></tr>
 *   <tr><td>{@code for e in range(epochs):}</td><td>{@code for (int e = start; e < settings.epochs(); e++)}</td></tr>
 *   <tr><td>{@code running_loss = 0}</td><td>{@code double runningLoss = 0;}</td></tr>
 *   <tr><td>{@code for images, labels in trainloader:}</td><td>{@code for (Batch batch : trainloader)}</td></tr>
 *   <tr><td>{@code images = images.view(images.shape[0], -1)}</td><td>{@code NDList images = Models.flatten(batch.getData());}</td></tr>
 *   <tr><td>{@code prediction = model(images)}</td><td>{@code NDList prediction = trainer.forward(images);}</td></tr>
 *   <tr><td>{@code loss = criterion(prediction, labels)}</td><td>{@code loss = criterion.evaluate(labels, prediction);}</td></tr>
 *   <tr><td>{@code optimizer.zero_grad()}</td><td>{@code steps.zeroGrad();}</td></tr>
 *   <tr><td>{@code loss.backward()}</td><td>{@code tape.backward(loss);}</td></tr>
 *   <tr><td>{@code optimizer.step()}</td><td>{@code steps.step();}</td></tr>
 *   <tr><td>{@code running_loss += loss.item()}</td><td>{@code float item = loss.getFloat();}</td></tr>
 * </table>
 *
 * <p>The settings choose the loss and optimizer; by default they are DJL's {@code
 * Loss.softmaxCrossEntropyLoss()} (log-softmax and negative log-likelihood, as {@code
 * nn.CrossEntropyLoss}) and {@link TorchAdam} (PyTorch's Adam update, exactly).
 *
 * <p>{@code model.parameters()} are {@link FlatParameters}: every weight and bias lives in one flat
 * buffer that each layer sees a view of, and the gradients likewise, so {@code
 * optimizer.zero_grad()} clears one buffer and {@code optimizer.step()} is a dozen operations,
 * however many layers the network has ({@link OptimizerSteps}; DJL's built-in optimizers still go
 * through {@code trainer.step()}, zeroing each gradient inside). DJL also needs two things PyTorch
 * does implicitly: a {@link GradientCollector} (the autograd tape) around the forward pass, and
 * closing each batch to free its native memory.
 */
public final class TrainingLoop {

    private TrainingLoop() {}

    /**
     * Trains {@code model}'s block with a fresh shuffle per epoch, seeded by the settings.
     *
     * @param model the model whose block ({@code model = Classifier()}) is to be trained
     * @param data the training and test sets
     * @param settings epochs, batch size, learning rate, seed, optimizer
     * @param listener receives each step's loss and each epoch's result
     * @return the per-step losses, per-epoch results and final test predictions
     */
    public static TrainingResult train(
            Model model, MnistData data, TrainingSettings settings, RunListener listener) {
        Sampler shuffle = Sampler.random(new Random(settings.seed()));
        return train(model, data, settings, shuffle, listener);
    }

    /**
     * Trains {@code model}'s block on {@code data.train()} in the sampler's order and evaluates on
     * {@code data.test()} after each epoch.
     *
     * <p>A step whose loss is NaN or infinite ends the run after that epoch's evaluation: the
     * result says where ({@link TrainingResult#divergence()}).
     *
     * <p>An uninitialised block is initialised here after seeding the engine; a block that is
     * already initialised (for example with weights loaded from Python) keeps its weights.
     *
     * @param model the model whose block ({@code model = Classifier()}) is to be trained
     * @param data the training and test sets
     * @param settings epochs, batch size, learning rate, seed, optimizer
     * @param sampler the order of the training examples in each epoch
     * @param listener receives each step's loss and each epoch's result
     * @return the per-step losses, per-epoch results and final test predictions
     */
    public static TrainingResult train(
            Model model,
            MnistData data,
            TrainingSettings settings,
            Sampler sampler,
            RunListener listener) {
        try {
            return train(model, data, settings, sampler, listener, Checkpoints.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // without checkpoints no file is touched
        }
    }

    /**
     * Trains as {@link #train(Model, MnistData, TrainingSettings, Sampler, RunListener)}, starting
     * from a checkpoint and writing one after each epoch as the plan says. A diverged epoch writes
     * none, so the last good checkpoint stays.
     *
     * @throws IOException if the checkpoint cannot be read or written
     */
    public static TrainingResult train(
            Model model,
            MnistData data,
            TrainingSettings settings,
            Sampler sampler,
            RunListener listener,
            Checkpoints checkpoints)
            throws IOException {
        if (settings.optimizer() == OptimizerKind.GD) {
            throw new IllegalArgumentException(
                    "full-batch gradient descent has no mini-batch loop: use FullBatchTraining");
        }
        NDManager manager = model.getNDManager();
        if (!model.getBlock().isInitialized()) {
            Models.initialize(model.getBlock(), manager, settings.seed());
        }
        MnistSplit trainset = data.train();
        List<Float> stepLosses = new ArrayList<>();
        List<EpochResult> epochs = new ArrayList<>();
        int[] predictions = new int[0];
        TrainingResult.Step diverged = null;

        // trainloader = DataLoader(trainset, batch_size=256, shuffle=True)
        DataLoader trainloader = new DataLoader(manager, trainset, settings.batchSize(), sampler);
        // criterion = nn.CrossEntropyLoss()
        Loss criterion = settings.createLoss();
        // Every weight and bias in one flat buffer, each layer's tensor a view of its part.
        // model.parameters()
        FlatParameters parameters = FlatParameters.of(model.getBlock());
        // optimizer = optim.Adam(model.parameters(), lr=0.003)
        Optimizer optimizer = settings.createOptimizer();
        // The trainer hands model.parameters() to the optimizer.
        DefaultTrainingConfig config = new DefaultTrainingConfig(criterion).optOptimizer(optimizer);
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(Models.INPUT_SHAPE);
            int batches = settings.batchesPerEpoch(trainloader.size());
            // 0, or the epochs a resumed checkpoint has finished (range(start_epoch, epochs)).
            int start =
                    checkpoints.restore(model.getBlock(), optimizer, batches, stepLosses, epochs);
            for (int e = 0; e < start; e++) {
                sampler.nextEpoch(trainset.count()); // the orders of the finished epochs
            }
            OptimizerSteps steps = OptimizerSteps.of(optimizer, parameters, trainer);
            listener.onTrainingBegin(model);

            // for e in range(epochs):
            for (int e = start; e < settings.epochs(); e++) {
                Models.seedEpoch(settings.seed(), e + 1);
                long began = System.nanoTime();
                // running_loss = 0
                double runningLoss = 0;
                int step = 0;
                // for images, labels in trainloader:
                for (Batch batch : trainloader) {
                    try (batch) {
                        NDList labels = batch.getLabels();
                        // images = images.view(images.shape[0], -1)
                        NDList images = Models.flatten(batch.getData());
                        NDArray loss;
                        try (GradientCollector tape = trainer.newGradientCollector()) {
                            // prediction = model(images)
                            NDList prediction = trainer.forward(images);
                            // loss = criterion(prediction, labels)
                            loss = criterion.evaluate(labels, prediction);
                            // optimizer.zero_grad()
                            steps.zeroGrad();
                            // loss.backward()
                            tape.backward(loss);
                        }
                        // optimizer.step()
                        steps.step();
                        // running_loss += loss.item()
                        float item = loss.getFloat();
                        runningLoss += item;

                        stepLosses.add(item);
                        listener.onStep(e + 1, ++step, batches, item);
                        if (!Float.isFinite(item)) {
                            diverged = new TrainingResult.Step(e + 1, step, item);
                        }
                    }
                    if (step == batches || diverged != null) {
                        break; // maxBatches (--max-batches, --dry-run) or a NaN loss ends it early
                    }
                }
                double seconds = (System.nanoTime() - began) / 1e9;
                predictions = Predictions.predict(trainer, manager, data.test());
                double accuracy = Predictions.of(predictions, data.test());
                EpochResult result = new EpochResult(e + 1, runningLoss / step, accuracy, seconds);
                epochs.add(result);
                listener.onEpoch(result);
                if (diverged != null) {
                    break; // no step can bring NaN weights back; the last checkpoint stays
                }
                checkpoints.save(model.getBlock(), optimizer, stepLosses, epochs);
            }
            if (start == settings.epochs()) {
                // Resumed after the last epoch (killed before saving): nothing left to train.
                predictions = Predictions.predict(trainer, manager, data.test());
            }
        }
        return new TrainingResult(epochs, stepLosses, predictions, Optional.ofNullable(diverged));
    }
}
