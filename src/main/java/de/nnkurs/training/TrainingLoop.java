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
import de.nnkurs.data.Mnist;
import de.nnkurs.data.Sampler;
import de.nnkurs.model.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The slides' training loop, statement by statement.
 *
 * <table>
 *   <caption>PyTorch line → Java line</caption>
 *   <tr><td>{@code trainloader = DataLoader(trainset, batch_size=256, shuffle=True)}</td>
 *       <td>{@code new DataLoader(manager, data.train(), batchSize, true, random)}</td></tr>
 *   <tr><td>{@code criterion = nn.CrossEntropyLoss()}</td>
 *       <td>{@code settings.loss().create()}, by default {@code Loss.softmaxCrossEntropyLoss()}</td></tr>
 *   <tr><td>{@code optimizer = optim.Adam(model.parameters(), lr=0.003)}</td>
 *       <td>{@code settings.optimizer().create(lr)}, by default {@link TorchAdam}; the parameters
 *       reach it through the {@link Trainer}</td></tr>
 *   <tr><td>{@code for e in range(epochs):}</td><td>{@code for (int e = 0; e < epochs; e++)}</td></tr>
 *   <tr><td>{@code running_loss = 0}</td><td>{@code double runningLoss = 0}</td></tr>
 *   <tr><td>{@code for images, labels in trainloader:}</td>
 *       <td>{@code for (Batch batch : trainloader)}</td></tr>
 *   <tr><td>{@code images = images.view(images.shape[0], -1)}</td>
 *       <td>{@code flatten(batch.getData())}: {@code reshape(images.getShape().get(0), -1)}</td></tr>
 *   <tr><td>{@code prediction = model(images)}</td><td>{@code trainer.forward(...)}</td></tr>
 *   <tr><td>{@code loss = criterion(prediction, labels)}</td>
 *       <td>{@code criterion.evaluate(labels, prediction)}</td></tr>
 *   <tr><td>{@code optimizer.zero_grad()}</td>
 *       <td>folded into {@code trainer.step()}: each optimizer zeroes each gradient right after
 *       applying it ({@link TorchAdam} explicitly, DJL's built-ins natively)</td></tr>
 *   <tr><td>{@code loss.backward()}</td><td>{@code tape.backward(loss)}</td></tr>
 *   <tr><td>{@code optimizer.step()}</td><td>{@code trainer.step()}</td></tr>
 *   <tr><td>{@code running_loss += loss.item()}</td>
 *       <td>{@code runningLoss += loss.getFloat()}</td></tr>
 * </table>
 *
 * <p>DJL needs two things PyTorch does implicitly: a {@link GradientCollector} (the autograd tape)
 * around the forward pass, and closing each batch to free its native memory.
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
            Model model, Mnist data, TrainingSettings settings, TrainingListener listener) {
        Sampler shuffle = Sampler.random(new Random(settings.seed()));
        return train(model, data, settings, shuffle, listener);
    }

    /**
     * Trains {@code model}'s block on {@code data.train()} in the sampler's order and evaluates on
     * {@code data.test()} after each epoch.
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
            Mnist data,
            TrainingSettings settings,
            Sampler sampler,
            TrainingListener listener) {
        if (settings.optimizer() == OptimizerKind.GD) {
            throw new IllegalArgumentException(
                    "full-batch gradient descent has no mini-batch loop: use FullBatchTraining");
        }
        NDManager manager = model.getNDManager();
        if (!model.getBlock().isInitialized()) {
            Models.initialize(model.getBlock(), manager, settings.seed());
        }
        List<Float> stepLosses = new ArrayList<>();
        List<EpochResult> epochs = new ArrayList<>();
        int[] predictions = new int[0];

        DataLoader trainloader = // trainloader = DataLoader(trainset, batch_size=256, shuffle=True)
                new DataLoader(manager, data.train(), settings.batchSize(), sampler);
        Loss criterion = settings.loss().create(); // criterion = nn.CrossEntropyLoss()
        Optimizer optimizer = // optimizer = optim.Adam(model.parameters(), lr=0.003)
                settings.optimizer().create(settings.learningRate(), settings.momentum());

        DefaultTrainingConfig config = new DefaultTrainingConfig(criterion).optOptimizer(optimizer);
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(Models.INPUT_SHAPE);
            int batches = settings.batchesPerEpoch(trainloader.size());

            for (int e = 0; e < settings.epochs(); e++) { // for e in range(epochs):
                long start = System.nanoTime();
                double runningLoss = 0; //                     running_loss = 0
                int step = 0;
                for (Batch batch : trainloader) { //           for images, labels in trainloader:
                    try (batch) {
                        NDList images = flatten(batch.getData()); // images = images.view(images.shape[0], -1)
                        NDList labels = batch.getLabels(); // the labels of "for images, labels in trainloader"
                        NDArray loss;
                        try (GradientCollector tape = trainer.newGradientCollector()) {
                            NDList prediction = trainer.forward(images); // prediction = model(images)
                            loss = criterion.evaluate(labels, prediction); // loss = criterion(prediction, labels)
                            // optimizer.zero_grad(): done inside trainer.step() below; every
                            // optimizer here zeroes each gradient right after applying it.
                            tape.backward(loss); // loss.backward()
                        }
                        trainer.step(); // optimizer.step()
                        float item = loss.getFloat();
                        runningLoss += item; // running_loss += loss.item()

                        stepLosses.add(item);
                        listener.onStep(e + 1, ++step, batches, item);
                    }
                    if (step == batches) {
                        break; // only --dry-run or --max-batches stop an epoch early
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                predictions = Accuracy.predict(trainer, manager, data.test());
                double accuracy = Accuracy.of(predictions, data.test());
                EpochResult result = new EpochResult(e + 1, runningLoss / step, accuracy, seconds);
                epochs.add(result);
                listener.onEpoch(result);
            }
        }
        return new TrainingResult(epochs, stepLosses, predictions);
    }

    /** {@code images.view(images.shape[0], -1)}: (B, 1, 28, 28) to (B, 784). */
    private static NDList flatten(NDList images) {
        NDArray x = images.singletonOrThrow();
        return new NDList(x.reshape(x.getShape().get(0), -1));
    }
}
