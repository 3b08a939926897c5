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
 * Gradient descent with momentum, written as on the slide: {@code v ← β·v + α·g; θ ← θ − v}.
 *
 * <p>{@code torch.optim.SGD(momentum=β)} writes it {@code v ← β·v + g; θ ← θ − α·v}. Its velocity
 * is this one's divided by α, so for a constant α both take exactly the same steps; they differ
 * only when α changes during training (here a new α affects only the new gradient, in PyTorch the
 * whole velocity). DJL's own {@code Sgd} with {@code optMomentum(β)} uses the slide's form.
 */
public final class SlideMomentum extends Optimizer implements ResumableOptimizer, FlatOptimizer {

    /** The slide's default β. */
    public static final float DEFAULT_MOMENTUM = 0.9f;

    /** The velocity's name in a checkpoint, as in {@code torch.optim.SGD}'s state. */
    private static final String VELOCITY = "momentum_buffer";

    private final ParameterTracker learningRateTracker;
    private final float momentum;
    private final ParameterState velocities = new ParameterState();
    private final StepCounts steps = new StepCounts();

    private SlideMomentum(Builder builder) {
        super(builder);
        learningRateTracker = builder.learningRateTracker;
        momentum = builder.momentum;
        if (rescaleGrad != 1 || clipGrad >= 0 || getWeightDecay() != 0) {
            // Silently ignoring them would make the rule differ from the slide without notice.
            throw new IllegalArgumentException(
                    "SlideMomentum is the slide's rule only: "
                            + "no rescaleGrad, clipGrad or weight decay");
        }
    }

    /** Returns a builder; the learning rate is required, β defaults to 0.9. */
    public static Builder builder() {
        return new Builder();
    }

    /** Applies {@code v ← β·v + α·g; θ ← θ − v} in place and zeroes the weight's gradient. */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float lr = learningRateTracker.getNewValue(parameterId, steps.next(parameterId));
        // v starts at 0; DJL keeps it detached so it outlives each step's arrays.
        apply(weight, grad, velocities.get(parameterId, weight), lr);
        Gradients.zero(weight); //         optimizer.zero_grad()
    }

    /** Applies the rule to all parameters at once; the gradients are left as they are. */
    @Override
    public void step(FlatParameters parameters) {
        int step = steps.nextForAll(parameters.ids());
        float lr = learningRateTracker.getNewValue(parameters.ids().get(0), step);
        apply(parameters.values(), parameters.gradients(), velocities.all(parameters), lr);
    }

    private void apply(NDArray weight, NDArray grad, NDArray v, float lr) {
        v.muli(momentum); //               v ← β·v …
        try (NDArray step = grad.mul(lr)) {
            v.addi(step); //               … + α·g
        }
        weight.subi(v); //                 θ ← θ − v
    }

    @Override
    public List<String> stateNames() {
        return List.of(StepCounts.NAME, VELOCITY);
    }

    @Override
    public Map<String, NDArray> state(String parameterId, NDManager manager) {
        if (!steps.started(parameterId)) {
            return Map.of();
        }
        NDArray v = velocities.peek(parameterId);
        return Map.of(StepCounts.NAME, steps.array(parameterId, manager), VELOCITY, v);
    }

    @Override
    public void restore(String parameterId, NDArray weight, Map<String, NDArray> state) {
        steps.restore(parameterId, state.get(StepCounts.NAME));
        velocities.restore(parameterId, weight, state.get(VELOCITY));
    }

    /** Builds a {@link SlideMomentum}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRateTracker;
        private float momentum = DEFAULT_MOMENTUM;

        private Builder() {}

        /**
         * Sets the learning rate α, e.g. {@code Tracker.fixed(0.01f)}.
         *
         * @param learningRateTracker the learning rate per update
         * @return this builder
         */
        public Builder setLearningRateTracker(ParameterTracker learningRateTracker) {
            this.learningRateTracker = learningRateTracker;
            return this;
        }

        /**
         * Sets the momentum β (default 0.9).
         *
         * @param momentum the share of the previous velocity kept each step, in [0, 1)
         * @return this builder
         */
        public Builder optMomentum(float momentum) {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            this.momentum = momentum;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Returns the optimizer. */
        public SlideMomentum build() {
            Objects.requireNonNull(learningRateTracker, "no learning rate set");
            return new SlideMomentum(this);
        }
    }
}
