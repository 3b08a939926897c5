package de.nnkurs.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;

import org.junit.jupiter.api.Test;

/** {@link TorchAdam} computes {@code torch.optim.Adam}'s update and zeroes the gradient. */
class TorchAdamTest {

    private static final double LR = 0.003;

    /** Runs {@code steps} updates of {@code loss = sum(w * c)}, whose gradient is {@code c}. */
    private static float[] optimise(Optimizer optimizer, float[] start, float[] c, int steps) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(start);
            w.setRequiresGradient(true);
            NDArray coefficients = manager.create(c);
            for (int t = 0; t < steps; t++) {
                try (GradientCollector tape = Engine.getInstance().newGradientCollector()) {
                    tape.backward(w.mul(coefficients).sum());
                }
                // As DJL's parameter server does: the optimizer gets a copy of the gradient.
                try (NDArray grad = w.getGradient().duplicate()) {
                    optimizer.update("w", w, grad);
                }
            }
            return w.toFloatArray();
        }
    }

    /** torch.optim.Adam by hand, in double, for a constant gradient. */
    private static double torchAdam(double w, double g, int steps) {
        double m = 0;
        double v = 0;
        for (int t = 1; t <= steps; t++) {
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double denom = Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
            w -= LR / (1 - Math.pow(0.9, t)) * m / denom;
        }
        return w;
    }

    /**
     * The update as it was written before the speed work: each scalar a Java {@code float} per
     * operation. The faster update must compute exactly these floats.
     */
    private static void straightforwardAdam(NDArray w, NDArray g, NDArray m, NDArray v, int t) {
        double bc1 = 1 - Math.pow(0.9, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(0.999, t));
        m.muli((float) 0.9).addi(g.mul((float) (1 - 0.9)));
        v.muli((float) 0.999).addi(g.mul((float) (1 - 0.999)).mul(g));
        NDArray denom = v.sqrt().divi((float) bc2Sqrt).addi((float) 1e-8);
        w.addi(m.mul((float) -(LR / bc1)).divi(denom));
    }

    @Test
    void theFastUpdateComputesTheStraightforwardOnesFloatsBitForBit() {
        TorchAdam adam = TorchAdam.builder().setLearningRate(LR).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(5);
            NDArray w = manager.randomNormal(new ai.djl.ndarray.types.Shape(64, 784));
            w.setRequiresGradient(true);
            NDArray reference = w.duplicate();
            NDArray m = reference.zerosLike();
            NDArray v = reference.zerosLike();
            for (int t = 1; t <= 30; t++) {
                // Gradients of every size, down to where ε and the bias corrections matter.
                NDArray g = manager.randomNormal(w.getShape()).mul((float) Math.pow(10, -t % 7));
                try (GradientCollector tape = Engine.getInstance().newGradientCollector()) {
                    tape.backward(w.mul(g).sum());
                }
                try (NDArray grad = w.getGradient().duplicate()) {
                    adam.update("w", w, grad);
                }
                straightforwardAdam(reference, g, m, v, t);
                float[] fast = w.toFloatArray();
                float[] slow = reference.toFloatArray();
                for (int i = 0; i < fast.length; i++) {
                    if (Float.floatToIntBits(fast[i]) != Float.floatToIntBits(slow[i])) {
                        throw new AssertionError(
                                "step " + t + ", element " + i + ": " + fast[i] + " vs " + slow[i]);
                    }
                }
            }
        }
    }

    @Test
    void threeStepsMatchTorchAdamComputedByHand() {
        float[] start = {1f, -2f, 3f, 0.5f};
        float[] c = {0.5f, -1f, 2f, 1e-6f};
        float[] w = optimise(TorchAdam.builder().setLearningRate(LR).build(), start, c, 3);
        for (int i = 0; i < start.length; i++) {
            assertEquals(torchAdam(start[i], c[i], 3), w[i], 1e-6, "element " + i);
        }
    }

    @Test
    void epsilonStaysOutsideTheBiasCorrectionUnlikeDjlAdam() {
        // With a gradient of 1e-6, ε = 1e-8 matters: torch divides by 1e-6 + 1e-8, DJL's Adam
        // effectively by 1e-6 + 1e-8/√(1−β₂) ≈ 1e-6 + 3.2e-7 at step 1.
        float[] start = {0f};
        float[] g = {1e-6f};
        float torchStep =
                -optimise(TorchAdam.builder().setLearningRate(LR).build(), start, g, 1)[0];
        float djlStep = -optimise(OptimizerKind.DJL_ADAM.create(LR), start, g, 1)[0];
        assertEquals(LR * 1e-6 / (1e-6 + 1e-8), torchStep, 1e-9);
        assertEquals(LR * 1e-6 / (1e-6 + 1e-8 / Math.sqrt(0.001)), djlStep, 1e-8);
    }

    @Test
    void updateZeroesTheWeightsOwnGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1f, 2f});
            w.setRequiresGradient(true);
            try (GradientCollector tape = Engine.getInstance().newGradientCollector()) {
                tape.backward(w.mul(3).sum());
            }
            NDArray grad = w.getGradient().duplicate();
            TorchAdam.builder().setLearningRate(LR).build().update("w", w, grad);
            assertEquals(0f, w.getGradient().abs().sum().getFloat());
        }
    }

    @Test
    void gradientsDoNotAccumulateAcrossSteps() {
        // If update did not zero the gradient, step 2 would see 2c and move further than torch.
        float[] w =
                optimise(
                        TorchAdam.builder().setLearningRate(LR).build(),
                        new float[] {0f},
                        new float[] {1f},
                        2);
        assertEquals(torchAdam(0, 1, 2), w[0], 1e-7);
    }

    @Test
    void rejectsANonPositiveLearningRate() {
        assertThrows(
                IllegalArgumentException.class,
                () -> TorchAdam.builder().setLearningRate(0).build());
    }
}
