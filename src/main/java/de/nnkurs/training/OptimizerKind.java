package de.nnkurs.training;

import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import de.nnkurs.training.SlideMomentum;
import de.nnkurs.training.SlideSgd;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The optimizers the loop can use, by their command-line names. */
public enum OptimizerKind {
    /** {@code optim.Adam}, computed exactly as PyTorch does ({@link TorchAdam}). */
    ADAM("adam"),
    /** DJL's built-in {@code Adam}, which places ε inside the bias-corrected step. */
    DJL_ADAM("djl-adam"),
    /** Stochastic gradient descent on each mini-batch: θ ← θ − α·∂Loss/∂θ. */
    SGD("sgd"),
    /** SGD with momentum as the slide writes it: v ← β·v + α·∂Loss/∂θ; θ ← θ − v. */
    MOMENTUM("momentum"),
    /**
     * Gradient descent on the whole training set: one step per epoch ({@link FullBatchTraining}).
     */
    GD("gd");

    private final String label;

    OptimizerKind(String label) {
        this.label = label;
    }

    /** Returns the command-line name. */
    public String label() {
        return label;
    }

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
     * Finds an optimizer by its command-line name.
     *
     * @param label e.g. {@code adam}
     * @return the kind
     * @throws IllegalArgumentException naming the valid choices
     */
    public static OptimizerKind fromLabel(String label) {
        for (OptimizerKind k : values()) {
            if (k.label.equals(label.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown optimizer '"
                        + label
                        + "', choose one of "
                        + Arrays.stream(values())
                                .map(OptimizerKind::label)
                                .collect(Collectors.joining(", ")));
    }
}
