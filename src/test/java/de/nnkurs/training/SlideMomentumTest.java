package de.nnkurs.training;

import de.nnkurs.Steps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.junit.jupiter.api.Test;

/** v ← β·v + α·g; θ ← θ − v, by hand, against PyTorch's form and against DJL's Sgd. */
class SlideMomentumTest {

    private static final float LR = 0.1f;
    private static final float BETA = 0.9f;

    private static SlideMomentum momentum() {
        return SlideMomentum.builder().setLearningRateTracker(Tracker.fixed(LR)).build();
    }

    private static float[] threeSteps(Optimizer optimizer) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = Steps.weight(manager);
            for (int i = 0; i < 3; i++) {
                Steps.step(optimizer, "w", w);
            }
            return w.toFloatArray();
        }
    }

    @Test
    void threeStepsFollowTheSlidesVelocityRule() {
        float[] expected = new float[3];
        for (int j = 0; j < 3; j++) {
            double w = Steps.W0[j];
            double v = 0;
            for (int i = 0; i < 3; i++) {
                double g = Steps.C[j] * w;
                v = BETA * v + LR * g; // v ← β·v + α·g
                w = w - v; //              θ ← θ − v
            }
            expected[j] = (float) w;
        }
        assertArrayEquals(expected, threeSteps(momentum()), 1e-6f);
    }

    @Test
    void takesTheSameStepsAsPyTorchsFormForAConstantLearningRate() {
        float[] expected = new float[3];
        for (int j = 0; j < 3; j++) {
            double w = Steps.W0[j];
            double v = 0;
            for (int i = 0; i < 3; i++) {
                double g = Steps.C[j] * w;
                v = BETA * v + g; // torch.optim.SGD: v ← β·v + g
                w = w - LR * v; //                    θ ← θ − α·v
            }
            expected[j] = (float) w;
        }
        assertArrayEquals(expected, threeSteps(momentum()), 1e-6f);
    }

    @Test
    void takesTheSameStepsAsDjlsSgdWithMomentum() {
        Optimizer djl =
                Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LR)).optMomentum(BETA).build();
        assertArrayEquals(threeSteps(djl), threeSteps(momentum()), 1e-6f);
    }

    @Test
    void updateLeavesTheWeightsGradientAtZeroLikeOptimizerZeroGrad() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = Steps.weight(manager);
            Steps.step(momentum(), "w", w);
            assertArrayEquals(new float[3], w.getGradient().toFloatArray());
        }
    }

    @Test
    void eachParameterKeepsItsOwnVelocity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SlideMomentum shared = momentum();
            NDArray a = Steps.weight(manager);
            NDArray b = Steps.weight(manager);
            Steps.step(shared, "a", a);
            Steps.step(shared, "a", a);
            Steps.step(shared, "b", b);
            NDArray alone = Steps.weight(manager);
            Steps.step(momentum(), "x", alone);
            assertArrayEquals(alone.toFloatArray(), b.toFloatArray());
        }
    }

    @Test
    void optMomentumRejectsOneAndAbove() {
        assertThrows(IllegalArgumentException.class, () -> SlideMomentum.builder().optMomentum(1f));
    }
}
