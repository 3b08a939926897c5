package de.nnkurs.training;

import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;

import de.nnkurs.model.FlatParameters;

/**
 * The loop's {@code optimizer.zero_grad()} and {@code optimizer.step()}: on the flat parameters for
 * the project's optimizers ({@link FlatOptimizer}), through {@code trainer.step()} for DJL's own
 * (which zero each gradient inside their update).
 */
final class OptimizerSteps {

    private final Optimizer optimizer;
    private final FlatParameters parameters;
    private final Trainer trainer;

    private OptimizerSteps(Optimizer optimizer, FlatParameters parameters, Trainer trainer) {
        this.optimizer = optimizer;
        this.parameters = parameters;
        this.trainer = trainer;
    }

    /**
     * Binds an optimizer to the model's parameters and its trainer.
     *
     * @param optimizer the optimizer the trainer was configured with
     * @param parameters the trainer's block's parameters, flattened
     * @param trainer the trainer
     * @return the steps
     */
    static OptimizerSteps of(Optimizer optimizer, FlatParameters parameters, Trainer trainer) {
        return new OptimizerSteps(optimizer, parameters, trainer);
    }

    /** {@code optimizer.zero_grad()}: the flat gradients cleared at once. */
    void zeroGrad() {
        if (optimizer instanceof FlatOptimizer) {
            parameters.zeroGradients();
        } // DJL's optimizers zero each gradient inside trainer.step()
    }

    /** {@code optimizer.step()}. */
    void step() {
        if (optimizer instanceof FlatOptimizer flat) {
            flat.step(parameters);
        } else {
            trainer.step();
        }
    }
}
