package de.nnkurs.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;

import de.nnkurs.model.FlatParameters;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gradient descent as on the slide: {@code θ ← θ − α·g}.
 *
 * <p>The same rule is mini-batch SGD or full-batch gradient descent; only the number of examples
 * behind {@code g} differs (see {@link FullBatchGradientDescent}). Like {@code torch.optim.SGD} and
 * DJL's optimizers, each update ends by zeroing the parameter's gradient.
 */
public final class SlideSgd extends Optimizer implements ResumableOptimizer, FlatOptimizer {

    private final ParameterTracker learningRateTracker;
    private final StepCounts steps = new StepCounts();

    private SlideSgd(Builder builder) {
        super(builder);
        learningRateTracker = builder.learningRateTracker;
        if (rescaleGrad != 1 || clipGrad >= 0 || getWeightDecay() != 0) {
            // Silently ignoring them would make the rule differ from the slide without notice.
            throw new IllegalArgumentException(
                    "SlideSgd is the slide's rule only: no rescaleGrad, clipGrad or weight decay");
        }
    }

    /** Returns a builder; the learning rate is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Applies {@code θ ← θ − α·g} to {@code weight} in place and zeroes its gradient. */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float lr = learningRateTracker.getNewValue(parameterId, steps.next(parameterId));
        try (NDArray step = grad.mul(lr)) {
            weight.subi(step); // θ ← θ − α·g
        }
        Gradients.zero(weight); // optimizer.zero_grad()
    }

    /**
     * Applies {@code θ ← θ − α·g} to all parameters at once; the gradients are left as they are.
     */
    @Override
    public void step(FlatParameters parameters) {
        int step = steps.nextForAll(parameters.ids());
        float lr = learningRateTracker.getNewValue(parameters.ids().get(0), step);
        try (NDArray change = parameters.gradients().mul(lr)) {
            parameters.values().subi(change); // θ ← θ − α·g
        }
    }

    /** Only the step count, for a learning-rate schedule: plain SGD keeps nothing else. */
    @Override
    public List<String> stateNames() {
        return List.of(StepCounts.NAME);
    }

    @Override
    public Map<String, NDArray> state(String parameterId, NDManager manager) {
        return steps.started(parameterId)
                ? Map.of(StepCounts.NAME, steps.array(parameterId, manager))
                : Map.of();
    }

    @Override
    public void restore(String parameterId, NDArray weight, Map<String, NDArray> state) {
        steps.restore(parameterId, state.get(StepCounts.NAME));
    }

    /** Builds a {@link SlideSgd}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRateTracker;

        private Builder() {}

        /**
         * Sets the learning rate α, e.g. {@code Tracker.fixed(0.1f)}.
         *
         * @param learningRateTracker the learning rate per update
         * @return this builder
         */
        public Builder setLearningRateTracker(ParameterTracker learningRateTracker) {
            this.learningRateTracker = learningRateTracker;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Returns the optimizer. */
        public SlideSgd build() {
            Objects.requireNonNull(learningRateTracker, "no learning rate set");
            return new SlideSgd(this);
        }
    }
}
