package de.nnkurs.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import de.nnkurs.Fixtures;
import de.nnkurs.Lesson;
import de.nnkurs.Synthetic;
import de.nnkurs.data.CourseTransform;
import de.nnkurs.data.MnistData;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.data.Sampler;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Models;
import de.nnkurs.model.StateDict;
import de.nnkurs.model.Variant;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The slides' loop on small synthetic data (steps, epochs, determinism, zeroed gradients) and
 * against PyTorch's run of the same loop on ten MNIST images (losses, accuracy).
 */
class TrainingLoopTest {

    private static final MnistData DATA = Synthetic.mnist(2000, 300);

    /**
     * The slides' loop as PyTorch ran it, in {@code training_loop.json} from {@code
     * scripts/make_fixtures.py} (torch 1.13.1): from the weights of {@code state_dict.npz} (a
     * 784-8-8-8-10 ReLU network with the final Softmax), on the 10 training images of {@code
     * mnist_tiny.npz} in two given orders, batch size 4, {@code nn.CrossEntropyLoss}, {@code
     * optim.Adam(lr=0.003)}, two epochs; evaluated on the 10 test images there.
     */
    private static final JsonObject PYTORCH = Fixtures.json("training_loop.json");

    private static TrainingResult fromPyTorch;

    /** Returns the Java loop's result for the run {@link #PYTORCH} describes, trained once. */
    private static synchronized TrainingResult fromPyTorchsStart() {
        if (fromPyTorch == null) {
            List<int[]> orders = new ArrayList<>();
            PYTORCH.getAsJsonArray("orders")
                    .forEach(o -> orders.add(Fixtures.ints(o.getAsJsonArray())));
            TrainingSettings settings =
                    TrainingSettings.builder()
                            .optEpochs(PYTORCH.get("epochs").getAsInt())
                            .optBatchSize(PYTORCH.get("batch_size").getAsInt())
                            .optLearningRate(PYTORCH.get("learning_rate").getAsDouble())
                            .optOptimizer(OptimizerKind.ADAM)
                            .optLoss(LossKind.CROSS_ENTROPY)
                            .build();
            try (Model model = Model.newInstance("from-pytorch")) {
                model.setBlock(
                        Models.sequential(
                                new Architecture(
                                        List.of(8, 8, 8), HiddenActivation.RELU, Variant.SLIDES)));
                Models.initialize(model.getBlock(), model.getNDManager(), 1);
                StateDict.load(model.getBlock(), Fixtures.path("state_dict.npz"));
                fromPyTorch =
                        TrainingLoop.train(
                                model,
                                Fixtures.tinyMnist(),
                                settings,
                                Sampler.fixed(orders),
                                RunListener.NONE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fromPyTorch;
    }

    private static TrainingResult train(TrainingSettings settings, RunListener listener) {
        try (Model model = Model.newInstance("test")) {
            model.setBlock(Models.sequential(Variant.SLIDES));
            return TrainingLoop.train(model, DATA, settings, listener);
        }
    }

    private static TrainingResult train(TrainingSettings settings) {
        return train(settings, new RunListener() {});
    }

    private static TrainingSettings settings(int epochs, long seed, int maxBatches) {
        return TrainingSettings.builder()
                .optEpochs(epochs)
                .optBatchSize(Lesson.BATCH_SIZE)
                .optLearningRate(Lesson.LEARNING_RATE)
                .optSeed(seed)
                .optMaxBatches(maxBatches)
                .optOptimizer(OptimizerKind.ADAM)
                .build();
    }

    @Test
    void sameSeedGivesTheSameLossTrajectory() {
        TrainingResult first = train(settings(2, 42, 0));
        TrainingResult second = train(settings(2, 42, 0));
        assertEquals(first.stepLosses(), second.stepLosses());
        assertEquals(first.epochs().get(1).testAccuracy(), second.epochs().get(1).testAccuracy());
    }

    @Test
    void differentSeedGivesADifferentLossTrajectory() {
        assertNotEquals(
                train(settings(1, 1, 0)).stepLosses(), train(settings(1, 2, 0)).stepLosses());
    }

    @Test
    void everyBatchIncludingThePartialLastOneIsOneStep() {
        // 2000 examples in batches of 256: seven full batches and one of 208.
        TrainingResult result = train(settings(2, 1, 0));
        assertEquals(16, result.stepLosses().size());
        assertEquals(2, result.epochs().size());
    }

    @Test
    void maxBatchesStopsEachEpochEarly() {
        TrainingResult result = train(settings(2, 1, 3));
        assertEquals(6, result.stepLosses().size());
    }

    @Test
    void stepLossesAreThoseOfPyTorchsLoopFromTheSameWeightsAndBatches() {
        // Equal to 2.4e-7 (one float step) here; 1e-5 leaves room for another CPU's float sums.
        float[] pytorch = Fixtures.floats(PYTORCH.getAsJsonArray("step_losses"));
        List<Float> losses = fromPyTorchsStart().stepLosses();
        assertEquals(pytorch.length, losses.size());
        for (int i = 0; i < pytorch.length; i++) {
            assertEquals(pytorch[i], losses.get(i), 1e-5, "step " + (i + 1));
        }
    }

    @Test
    void epochLossIsPyTorchsRunningLossDividedByLenTrainloader() {
        // Three batches per epoch, of 4, 4 and 2 images: weighting the batches by their size
        // would move epoch 1 by 4e-3, dividing by the 10 images by 1.6. libtorch 2.7.1 and
        // PyTorch 1.13.1 agree to 1e-7 here; 1e-5 leaves room for another CPU's float sums.
        JsonArray pytorch = PYTORCH.getAsJsonArray("epoch_losses");
        TrainingResult result = fromPyTorchsStart();
        assertEquals(pytorch.size(), result.epochs().size());
        for (int e = 0; e < pytorch.size(); e++) {
            assertEquals(
                    pytorch.get(e).getAsDouble(),
                    result.epochs().get(e).meanLoss(),
                    1e-5,
                    "epoch " + (e + 1));
        }
    }

    @Test
    void listenerSeesEveryStepThenEachEpoch() {
        List<String> events = new ArrayList<>();
        train(
                settings(2, 1, 2),
                new RunListener() {
                    @Override
                    public void onStep(int epoch, int batch, int batches, float loss) {
                        events.add("step " + epoch + "." + batch + "/" + batches);
                    }

                    @Override
                    public void onEpoch(EpochResult result) {
                        events.add("epoch " + result.epoch());
                    }
                });
        assertEquals(
                List.of(
                        "step 1.1/2",
                        "step 1.2/2",
                        "epoch 1",
                        "step 2.1/2",
                        "step 2.2/2",
                        "epoch 2"),
                events);
    }

    @Test
    void testAccuracyIsTheShareOfTestImagesThatPyTorchsTrainedNetworkGetsRight() {
        // PyTorch's network classifies 2 of the 10 test images correctly after this training.
        assertEquals(
                PYTORCH.get("test_accuracy").getAsDouble(), fromPyTorchsStart().finalAccuracy(), 0);
    }

    @Test
    void trainerStepZeroesTheGradientsLikeOptimizerZeroGradForEveryOptimizer() {
        for (OptimizerKind kind : OptimizerKind.values()) {
            assertStepZeroesGradients(kind);
        }
    }

    @Test
    void finalPredictionsAreTheTrainedNetworksArgmaxForEveryTestImage() {
        MnistSplit test = DATA.test();
        try (Model model = Model.newInstance("predictions")) {
            model.setBlock(Models.sequential(Variant.LOGITS));
            TrainingResult result =
                    TrainingLoop.train(model, DATA, settings(1, 1, 2), RunListener.NONE);
            // The expectation, computed without the loop's evaluation code: all test images in
            // one forward pass, then the largest logit of each row by hand.
            float[] pixels = new float[test.count() * Lesson.INPUT];
            CourseTransform.apply(test.pixels(), 0, pixels, 0, pixels.length);
            NDArray x = model.getNDManager().create(pixels, new Shape(test.count(), Lesson.INPUT));
            ParameterStore ps = new ParameterStore(model.getNDManager(), false);
            float[] logits =
                    model.getBlock().forward(ps, new NDList(x), false).head().toFloatArray();
            int correct = 0;
            for (int i = 0; i < test.count(); i++) {
                int best = 0;
                for (int k = 1; k < Lesson.OUTPUT; k++) {
                    if (logits[i * Lesson.OUTPUT + k] > logits[i * Lesson.OUTPUT + best]) {
                        best = k;
                    }
                }
                assertEquals(best, result.testPredictions()[i], "test image " + i);
                correct += best == test.labels()[i] ? 1 : 0;
            }
            assertEquals((double) correct / test.count(), result.finalAccuracy(), 0);
        }
    }

    @Test
    void aNonFiniteLossStopsTheRunAtThatStepAndSaysWhere() {
        TrainingSettings exploding =
                TrainingSettings.builder()
                        .optEpochs(3)
                        .optBatchSize(64)
                        .optLearningRate(1e30)
                        .optSeed(1)
                        .optOptimizer(OptimizerKind.SGD)
                        .optLoss(LossKind.MSE)
                        .build();
        List<Integer> epochsSeen = new ArrayList<>();
        TrainingResult result =
                train(
                        exploding,
                        new RunListener() {
                            @Override
                            public void onEpoch(EpochResult r) {
                                epochsSeen.add(r.epoch());
                            }
                        });
        TrainingResult.Step at = result.divergence().orElseThrow();
        assertEquals(1, at.epoch(), "an lr of 1e30 blows up in the first epoch");
        assertEquals(at.step(), result.stepLosses().size(), "no step after the first NaN");
        assertFalse(Float.isFinite(at.loss()));
        assertTrue(Float.isFinite(result.stepLosses().get(0)), "the first step was still finite");
        assertEquals(List.of(1), epochsSeen, "the epoch it diverged in is reported, no more");
        assertEquals(1, result.epochs().size());
    }

    @Test
    void theLoopTrainsTheWeightsItIsGivenInsteadOfDrawingNewOnes() {
        // A learning rate so small that a step cannot change a float weight of about 0.03.
        TrainingSettings tiny =
                TrainingSettings.builder()
                        .optEpochs(1)
                        .optBatchSize(Lesson.BATCH_SIZE)
                        .optLearningRate(1e-30)
                        .optSeed(5)
                        .optMaxBatches(1)
                        .optOptimizer(OptimizerKind.SGD)
                        .build();
        try (Model given = Model.newInstance("given");
                Model fresh = Model.newInstance("fresh")) {
            given.setBlock(Models.sequential(Variant.SLIDES));
            Models.initialize(given.getBlock(), given.getNDManager(), 99);
            NDArray before = firstWeight(given).duplicate();
            TrainingLoop.train(given, DATA, tiny, RunListener.NONE);
            assertTrue(before.contentEquals(firstWeight(given)), "the given weights were kept");

            fresh.setBlock(Models.sequential(Variant.SLIDES));
            TrainingLoop.train(fresh, DATA, tiny, RunListener.NONE);
            assertFalse(
                    before.contentEquals(firstWeight(fresh)),
                    "an uninitialised block gets the settings' seed 5, not 99");
        }
    }

    private static NDArray firstWeight(Model model) {
        return model.getBlock().getParameters().get(0).getValue().getArray();
    }

    private static void assertStepZeroesGradients(OptimizerKind kind) {
        try (Model model = Model.newInstance("zero-grad")) {
            model.setBlock(Models.sequential(Variant.SLIDES));
            Loss criterion = Loss.softmaxCrossEntropyLoss();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(criterion).optOptimizer(kind.create(0.003));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(Models.INPUT_SHAPE);
                NDArray x = model.getNDManager().randomNormal(new Shape(4, Lesson.INPUT));
                NDArray y = model.getNDManager().create(new long[] {0, 1, 2, 3});
                try (GradientCollector tape = trainer.newGradientCollector()) {
                    NDArray prediction = trainer.forward(new NDList(x)).head();
                    tape.backward(criterion.evaluate(new NDList(y), new NDList(prediction)));
                }
                Parameter firstWeight = model.getBlock().getParameters().get(0).getValue();
                assertTrue(firstWeight.getArray().getGradient().abs().sum().getFloat() > 0);
                trainer.step();
                for (Parameter p : model.getBlock().getParameters().values()) {
                    NDArray grad = p.getArray().getGradient();
                    assertEquals(0f, grad.abs().sum().getFloat(), kind + " " + p.getName());
                }
            }
        }
    }
}
