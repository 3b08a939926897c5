package de.nnkurs.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.tracker.Tracker;

import de.nnkurs.model.HiddenActivation;
import de.nnkurs.Lesson;
import de.nnkurs.Synthetic;
import de.nnkurs.data.DataLoader;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.model.Layers;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The chunk-accumulated gradient is the whole set's gradient; one step applies it once. */
class FullBatchGradientDescentTest {

    private static final MnistSplit DATA = Synthetic.split(50, 5);
    private static final float LR = 0.5f;

    /** The slides' model in small: 784-8-10, ReLU, Softmax, trained on the slides' CE. */
    private static <T> T withTrainer(Function<Trainer, T> body) {
        Engine.getInstance().setRandomSeed(5);
        try (Model model = Model.newInstance("full-batch")) {
            model.setBlock(
                    new SequentialBlock()
                            .add(Layers.linear(Lesson.INPUT, 8))
                            .add(HiddenActivation.RELU.block())
                            .add(Layers.linear(8, Lesson.OUTPUT))
                            .addSingleton(x -> x.softmax(1), "softmax"));
            SlideSgd sgd = SlideSgd.builder().setLearningRateTracker(Tracker.fixed(LR)).build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(SlideLosses.crossEntropy()).optOptimizer(sgd);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, Lesson.INPUT));
                return body.apply(trainer);
            }
        }
    }

    private static List<NDArray> gradients(Trainer trainer) {
        List<NDArray> grads = new ArrayList<>();
        for (Parameter p : trainer.getModel().getBlock().getParameters().values()) {
            grads.add(p.getArray().getGradient().duplicate());
        }
        return grads;
    }

    private static List<NDArray> values(Trainer trainer) {
        List<NDArray> values = new ArrayList<>();
        for (Parameter p : trainer.getModel().getBlock().getParameters().values()) {
            values.add(p.getArray().duplicate());
        }
        return values;
    }

    /** Backpropagates the mean loss over all of {@link #DATA} in a single forward pass. */
    private static float backwardInOneGo(Trainer trainer) {
        DataLoader all = new DataLoader(trainer.getManager(), DATA, DATA.count(), false, null);
        try (Batch batch = all.iterator().next();
                GradientCollector tape = trainer.newGradientCollector()) {
            NDArray images = batch.getData().head();
            NDArray x = images.reshape(images.getShape().get(0), -1);
            NDArray prediction = trainer.forward(new NDList(x)).head();
            NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), new NDList(prediction));
            tape.backward(loss);
            return loss.getFloat();
        }
    }

    @Test
    void gradientAccumulatedOverUnevenChunksEqualsTheWholeSetGradient() {
        withTrainer(
                trainer -> {
                    // 50 examples in chunks of 7: seven of 7 and one of 1.
                    FullBatchGradientDescent.accumulateGradient(
                            trainer, trainer.getManager(), DATA, 7);
                    List<NDArray> accumulated = gradients(trainer);
                    trainer.getModel()
                            .getBlock()
                            .getParameters()
                            .values()
                            .forEach(p -> Gradients.zero(p.getArray()));
                    backwardInOneGo(trainer);
                    List<NDArray> inOneGo = gradients(trainer);
                    for (int i = 0; i < inOneGo.size(); i++) {
                        assertTrue(
                                accumulated.get(i).allClose(inOneGo.get(i), 1e-4, 1e-7, false),
                                "parameter " + i);
                    }
                    return null;
                });
    }

    @Test
    void accumulatedLossIsTheMeanLossOverTheWholeSet() {
        withTrainer(
                trainer -> {
                    float chunked =
                            FullBatchGradientDescent.accumulateGradient(
                                    trainer, trainer.getManager(), DATA, 7);
                    trainer.getModel()
                            .getBlock()
                            .getParameters()
                            .values()
                            .forEach(p -> Gradients.zero(p.getArray()));
                    assertEquals(backwardInOneGo(trainer), chunked, 1e-5);
                    return null;
                });
    }

    @Test
    void oneStepMovesEveryParameterByMinusAlphaTimesTheWholeSetGradient() {
        withTrainer(
                trainer -> {
                    List<NDArray> before = values(trainer);
                    backwardInOneGo(trainer);
                    List<NDArray> gradient = gradients(trainer);
                    trainer.getModel()
                            .getBlock()
                            .getParameters()
                            .values()
                            .forEach(p -> Gradients.zero(p.getArray()));

                    FullBatchGradientDescent.step(trainer, trainer.getManager(), DATA, 16);

                    List<NDArray> after = values(trainer);
                    for (int i = 0; i < after.size(); i++) {
                        NDArray expected = before.get(i).sub(gradient.get(i).mul(LR));
                        assertTrue(
                                after.get(i).allClose(expected, 1e-4, 1e-6, false), "param " + i);
                    }
                    return null;
                });
    }
}
