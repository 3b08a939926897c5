package de.nnkurs.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;

import de.nnkurs.model.FlatParameters;

import java.util.List;
import java.util.Map;

/**
 * Adam exactly as {@code torch.optim.Adam} computes it (torch 1.13, {@code amsgrad=False}, no
 * weight decay).
 *
 * <pre>
 * m ← β₁·m + (1−β₁)·g
 * v ← β₂·v + (1−β₂)·g·g
 * θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
 * </pre>
 *
 * <p>DJL's own {@code Adam} folds the bias corrections into the learning rate, {@code θ ← θ −
 * lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε)}, which puts ε inside the corrected step (effectively
 * ε/√(1−β₂ᵗ), about 30× larger at step 1): the same algorithm on paper, a different trajectory in
 * float. The scalar factors here are computed in double like Python does, and the tensor operations
 * run in the same order as torch's kernels, so that Java and Python stay step-for-step comparable.
 *
 * <p>DJL's built-in optimizers zero each gradient inside their native update; this one does it
 * explicitly at the end of {@link #update}, which makes it the Java home of {@code
 * optimizer.zero_grad()}.
 */
public final class TorchAdam extends Optimizer implements ResumableOptimizer, FlatOptimizer {

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final ParameterState means = new ParameterState();
    private final ParameterState variances = new ParameterState();
    private final StepCounts steps = new StepCounts();
    private Scalars scalars;

    private TorchAdam(Builder builder) {
        super(builder);
        learningRate = builder.learningRate;
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
    }

    /** Returns a builder with torch's defaults: lr 0.001, betas (0.9, 0.999), eps 1e-8. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int step = steps.next(parameterId);
        NDArray m = means.get(parameterId, weight);
        NDArray v = variances.get(parameterId, weight);
        Scalars s = scalars(weight.getManager(), step);
        apply(weight, grad, m, v, s);
        // optimizer.zero_grad(): the next backward must start from zero, not accumulate.
        try (NDArray own = weight.getGradient()) {
            own.muli(s.zero);
        }
    }

    /**
     * Updates every parameter of the flattened model with the same operations as {@link #update},
     * each applied once to the whole flat buffer: 15 native calls per step however many layers.
     */
    @Override
    public void step(FlatParameters parameters) {
        int step = steps.nextForAll(parameters.ids());
        NDArray weight = parameters.values();
        Scalars s = scalars(weight.getManager(), step);
        apply(weight, parameters.gradients(), means.all(parameters), variances.all(parameters), s);
    }

    /** Adam's update of {@code weight} in place, in torch's order of operations. */
    private static void apply(NDArray weight, NDArray grad, NDArray m, NDArray v, Scalars s) {
        // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        try (NDArray scaledGrad = grad.mul(s.oneMinusBeta1)) {
            m.muli(s.beta1).addi(scaledGrad);
        }
        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        try (NDArray squaredGrad = grad.mul(s.oneMinusBeta2).muli(grad)) {
            v.muli(s.beta2).addi(squaredGrad);
        }
        // denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        try (NDArray denom = v.sqrt().divi(s.biasCorrection2Sqrt).addi(s.epsilon);
                NDArray change = m.mul(s.minusStepSize).divi(denom)) {
            // param.addcdiv_(exp_avg, denom, value=-step_size)
            weight.addi(change);
        }
    }

    /**
     * Returns the scalar operands of {@code step}'s update as 0-d arrays: each is made once (the
     * constants) or once per step (the bias corrections), not once per operation and parameter,
     * which saves two native calls per scalar. They hold the same float values that {@code
     * muli((float) x)} would wrap, so the arithmetic is unchanged.
     */
    private synchronized Scalars scalars(NDManager manager, int step) {
        if (scalars == null || !scalars.manager.isOpen()) {
            scalars = new Scalars(manager.newSubManager());
        }
        if (scalars.step != step) {
            double biasCorrection1 = 1 - Math.pow(beta1, step);
            double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
            double stepSize = learningRate / biasCorrection1;
            scalars.setStep(step, (float) biasCorrection2Sqrt, (float) -stepSize);
        }
        return scalars;
    }

    /** The 0-d operands of the update, in a manager of their own. */
    private final class Scalars {
        final NDManager manager;
        final NDArray beta1;
        final NDArray oneMinusBeta1;
        final NDArray beta2;
        final NDArray oneMinusBeta2;
        final NDArray epsilon;
        final NDArray zero;
        int step = -1;
        NDArray biasCorrection2Sqrt;
        NDArray minusStepSize;

        Scalars(NDManager manager) {
            this.manager = manager;
            beta1 = constant((float) TorchAdam.this.beta1);
            oneMinusBeta1 = constant((float) (1 - TorchAdam.this.beta1));
            beta2 = constant((float) TorchAdam.this.beta2);
            oneMinusBeta2 = constant((float) (1 - TorchAdam.this.beta2));
            epsilon = constant((float) TorchAdam.this.epsilon);
            zero = constant(0); // an int, as muli(0) wraps it
        }

        void setStep(int step, float biasCorrection2Sqrt, float minusStepSize) {
            if (this.biasCorrection2Sqrt != null) {
                this.biasCorrection2Sqrt.close();
                this.minusStepSize.close();
            }
            this.biasCorrection2Sqrt = constant(biasCorrection2Sqrt);
            this.minusStepSize = constant(minusStepSize);
            this.step = step;
        }

        /** Wraps a number as {@code manager.create(n)} does, kept out of any open NDScope. */
        private NDArray constant(Number value) {
            NDArray array = manager.create(value);
            NDScope.unregister(array);
            return array;
        }
    }

    @Override
    public List<String> stateNames() {
        return List.of(StepCounts.NAME, "exp_avg", "exp_avg_sq");
    }

    @Override
    public Map<String, NDArray> state(String parameterId, NDManager manager) {
        if (!steps.started(parameterId)) {
            return Map.of();
        }
        NDArray m = means.peek(parameterId);
        return Map.of(
                StepCounts.NAME,
                steps.array(parameterId, manager),
                "exp_avg",
                m,
                "exp_avg_sq",
                variances.peek(parameterId));
    }

    @Override
    public void restore(String parameterId, NDArray weight, Map<String, NDArray> state) {
        if (state.get("exp_avg_sq").lt(0).any().getBoolean()) {
            throw new IllegalArgumentException(
                    "exp_avg_sq holds a negative value, which a mean of squares never is:"
                            + " a damaged checkpoint");
        }
        steps.restore(parameterId, state.get(StepCounts.NAME));
        means.restore(parameterId, weight, state.get("exp_avg"));
        variances.restore(parameterId, weight, state.get("exp_avg_sq"));
    }

    /** Builds a {@link TorchAdam}; the learning rate is required. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private double learningRate = 0.001;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning rate.
         *
         * @param learningRate {@code lr}
         * @return this builder
         */
        public Builder setLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the decay rates of the moment estimates.
         *
         * @param beta1 for the mean, default 0.9
         * @param beta2 for the uncentred variance, default 0.999
         * @return this builder
         */
        public Builder optBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets ε, added to the denominator.
         *
         * @param epsilon default 1e-8
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Returns the optimizer. */
        public TorchAdam build() {
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException(
                        "learning rate must be positive: " + learningRate);
            }
            return new TorchAdam(this);
        }
    }
}
