package de.nnkurs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;

/** Optimizer steps on a small weight vector with the loss ½ Σ c·w², whose gradient is c ⊙ w. */
public final class Steps {

    public static final float[] W0 = {1f, -2f, 3f};
    public static final float[] C = {0.5f, 1f, 2f};

    private Steps() {}

    /** Runs backward of ½ Σ c·w² into {@code w}'s gradient. */
    public static void backward(NDArray w) {
        try (GradientCollector tape = Engine.getInstance().newGradientCollector()) {
            NDArray c = w.getManager().create(C);
            tape.backward(w.square().mul(c).sum().div(2));
        }
    }

    /** One training step as DJL's {@code LocalParameterServer} runs it: a duplicate gradient. */
    public static void step(Optimizer optimizer, String id, NDArray w) {
        backward(w);
        try (NDArray grad = w.getGradient();
                NDArray copy = grad.duplicate()) {
            optimizer.update(id, w, copy);
        }
    }

    /** Returns a fresh weight {@link #W0} that records gradients. */
    public static NDArray weight(NDManager manager) {
        NDArray w = manager.create(W0);
        w.setRequiresGradient(true);
        return w;
    }
}
