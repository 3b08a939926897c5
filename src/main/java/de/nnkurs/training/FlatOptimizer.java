package de.nnkurs.training;

import de.nnkurs.model.FlatParameters;

/**
 * An optimizer that updates a whole {@link FlatParameters flattened} model at once: PyTorch's
 * {@code optimizer.zero_grad()} and {@code optimizer.step()} as a few operations on the flat
 * buffers, whatever the number of layers. The arithmetic per number is the same as the optimizer's
 * per-parameter {@code update}.
 */
public interface FlatOptimizer {

    /**
     * Applies one update to every parameter from its gradient; gradients are left as they are.
     *
     * @param parameters the model's parameters, after a backward pass
     */
    void step(FlatParameters parameters);

    /**
     * Sets every gradient to zero; before the first backward pass there is nothing to zero.
     *
     * @param parameters the model's parameters
     */
    static void zeroGrad(FlatParameters parameters) {
        parameters.zeroGradients();
    }
}
