package de.nnkurs.training;

import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import de.nnkurs.Choice;

/** The optimizers the loop can use, by their command-line names. */
public enum OptimizerKind implements Choice {
    /** {@code optim.Adam}, computed exactly as PyTorch does ({@link TorchAdam}). */
    ADAM,
    /** DJL's built-in {@code Adam}, which places ε inside the bias-corrected step. */
    DJL_ADAM,
    /** Stochastic gradient descent on each mini-batch: θ ← θ − α·∂Loss/∂θ. */
    SGD,
    /** SGD with momentum as the slide writes it: v ← β·v + α·∂Loss/∂θ; θ ← θ − v. */
    MOMENTUM,
    /**
     * Gradient descent on the whole training set: one step per epoch ({@link FullBatchTraining}).
     */
    GD;

    /** Default β of {@link #MOMENTUM}. */
    public static final double MOMENTUM_BETA = 0.9;

    /**
     * Creates the optimizer.
     *
     * @param learningRate the learning rate
     * @return a fresh optimizer with no state
     */
    public Optimizer create(double learningRate) {
        return create(learningRate, MOMENTUM_BETA);
    }

    /**
     * Creates the optimizer.
     *
     * @param learningRate the learning rate α
     * @param momentum β, used by {@link #MOMENTUM} only
     * @return a fresh optimizer with no state
     */
    public Optimizer create(double learningRate, double momentum) {
        Tracker lr = Tracker.fixed((float) learningRate);
        return switch (this) {
            case ADAM -> TorchAdam.builder().setLearningRate(learningRate).build();
            case DJL_ADAM -> Adam.builder().optLearningRateTracker(lr).build();
            case SGD, GD -> SlideSgd.builder().setLearningRateTracker(lr).build();
            case MOMENTUM ->
                    SlideMomentum.builder()
                            .setLearningRateTracker(lr)
                            .optMomentum((float) momentum)
                            .build();
        };
    }

    /**
     * Finds an optimizer by its label.
     *
     * @param label e.g. {@code adam}
     * @return the kind
     * @throws IllegalArgumentException naming the valid labels
     */
    public static OptimizerKind fromLabel(String label) {
        return Choice.parse(OptimizerKind.class, "optimizer", label);
    }

    /** Returns the label, so that a choice prints as it is typed, e.g. {@code leaky-relu}. */
    @Override
    public String toString() {
        return label();
    }
}
