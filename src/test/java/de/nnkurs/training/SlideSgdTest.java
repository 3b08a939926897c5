package de.nnkurs.training;

import de.nnkurs.Steps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** θ ← θ − α·g, step by step and inside a DJL Trainer. */
class SlideSgdTest {

    private static SlideSgd sgd(float lr) {
        return SlideSgd.builder().setLearningRateTracker(Tracker.fixed(lr)).build();
    }

    @Test
    void threeStepsFollowThetaMinusAlphaTimesGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = Steps.weight(manager);
            SlideSgd sgd = sgd(0.1f);
            for (int i = 0; i < 3; i++) {
                Steps.step(sgd, "w", w);
            }
            // g = c ⊙ w, so each step multiplies w by (1 − 0.1·c): 0.95³, 0.9³, 0.8³.
            float[] expected = {0.857375f, -2 * 0.729f, 3 * 0.512f};
            assertArrayEquals(expected, w.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void updateLeavesTheWeightsGradientAtZeroLikeOptimizerZeroGrad() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = Steps.weight(manager);
            Steps.step(sgd(0.1f), "w", w);
            assertArrayEquals(new float[3], w.getGradient().toFloatArray());
        }
    }

    @Test
    void buildRejectsWeightDecayWhichTheSlideRuleDoesNotHave() {
        SlideSgd.Builder builder =
                SlideSgd.builder()
                        .setLearningRateTracker(Tracker.fixed(0.1f))
                        .optWeightDecays(1e-4f);
        assertThrows(IllegalArgumentException.class, builder::build);
    }

    /** Trains a tiny net for five trainer steps and returns every parameter afterwards. */
    private static List<float[]> trainFiveSteps(Optimizer optimizer) {
        Engine.getInstance().setRandomSeed(11);
        try (Model model = Model.newInstance("sgd")) {
            model.setBlock(
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(4).build())
                            .add(Activation.reluBlock())
                            .add(Linear.builder().setUnits(3).build()));
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(SlideLosses.mse()).optOptimizer(optimizer);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(6, 5));
                NDManager m = trainer.getManager();
                NDArray x = m.randomNormal(new Shape(6, 5));
                NDArray y = m.randomNormal(new Shape(6, 3));
                for (int i = 0; i < 5; i++) {
                    try (GradientCollector tape = trainer.newGradientCollector()) {
                        NDArray prediction = trainer.forward(new NDList(x)).head();
                        tape.backward(
                                trainer.getLoss().evaluate(new NDList(y), new NDList(prediction)));
                    }
                    trainer.step();
                }
                List<float[]> values = new ArrayList<>();
                for (Parameter p : model.getBlock().getParameters().values()) {
                    values.add(p.getArray().toFloatArray());
                }
                return values;
            }
        }
    }

    @Test
    void inATrainerItTakesTheSameStepsAsDjlsBuiltInSgd() {
        List<float[]> ours = trainFiveSteps(sgd(0.05f));
        Optimizer builtIn = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build();
        List<float[]> djl = trainFiveSteps(builtIn);
        assertEquals(djl.size(), ours.size());
        for (int i = 0; i < ours.size(); i++) {
            assertArrayEquals(djl.get(i), ours.get(i), 1e-6f, "parameter " + i);
        }
    }
}
