package de.nnkurs.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;

import de.nnkurs.Lesson;
import de.nnkurs.data.CourseTransform;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;
import de.nnkurs.training.TrainingSettings;

import java.io.IOException;

/**
 * The loop a DJL user would write for the same lesson, timed as the peer of the project's loop: the
 * slides' network, a {@link Trainer} over an in-memory {@link ArrayDataset} (the course's transform
 * applied once, up front), DJL's Adam and softmax cross-entropy, and {@code trainer.forward} /
 * {@code gc.backward} / {@code trainer.step} per batch. Its maths differ from the project's loop
 * (DJL's Adam is not PyTorch's), so only its speed is compared.
 */
final class DjlTrainerPeer {

    private DjlTrainerPeer() {}

    /**
     * What the peer measured.
     *
     * @param epochSeconds seconds per epoch, the first being the warm-up
     * @param nativeCallsPerStep calls into libtorch per step after the warm-up epoch, NaN if not
     *     counted
     */
    record Result(double[] epochSeconds, double nativeCallsPerStep) {}

    /**
     * Trains the peer and returns the seconds of each epoch.
     *
     * @param train the training examples
     * @param settings epochs, batch size, learning rate, seed and batch cap, as the project's run
     * @param countCalls whether {@link NativeCalls} counts (installed by the caller)
     * @return its figures
     */
    static Result run(MnistSplit train, TrainingSettings settings, boolean countCalls) {
        Engine.getInstance().setRandomSeed((int) settings.seed());
        int n = train.count();
        if (settings.maxBatches() > 0) {
            n = Math.min(n, settings.maxBatches() * settings.batchSize());
        }
        try (Model model = Model.newInstance("djl-trainer-peer");
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(Models.sequential(Architecture.lesson(Variant.SLIDES)));
            float[] pixels = new float[n * Lesson.INPUT];
            CourseTransform.apply(train.pixels(), 0, pixels, 0, pixels.length);
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) {
                labels[i] = train.labels()[i] & 0xff;
            }
            NDArray x = manager.create(pixels, new Shape(n, Lesson.INPUT));
            NDArray y = manager.create(labels, new Shape(n));
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(x)
                            .optLabels(y)
                            .setSampling(settings.batchSize(), true)
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(
                                                    Tracker.fixed((float) settings.learningRate()))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(settings.batchSize(), Lesson.INPUT));
                double[] seconds = new double[settings.epochs()];
                long calls = 0;
                long steps = 0;
                for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                    long callsBefore = countCalls ? NativeCalls.total() : 0;
                    long start = System.nanoTime();
                    for (Batch batch : trainer.iterateDataset(data)) {
                        if (epoch > 0) {
                            steps++;
                        }
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList prediction = trainer.forward(batch.getData());
                            NDArray loss =
                                    trainer.getLoss().evaluate(batch.getLabels(), prediction);
                            gc.backward(loss);
                        }
                        trainer.step();
                        batch.close();
                    }
                    seconds[epoch] = (System.nanoTime() - start) / 1e9;
                    if (epoch > 0 && countCalls) {
                        calls += NativeCalls.total() - callsBefore;
                    }
                }
                return new Result(seconds, countCalls ? (double) calls / steps : Double.NaN);
            }
        } catch (IOException | TranslateException e) {
            throw new IllegalStateException("the DJL Trainer loop could not run", e);
        }
    }
}
