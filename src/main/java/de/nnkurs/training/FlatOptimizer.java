package de.nnkurs.training;

import de.nnkurs.model.FlatParameters;

/**
 * An optimizer that updates a whole {@link FlatParameters flattened} model at once: PyTorch's
 * {@code optimizer.step()} as a few operations on the flat buffers, whatever the number of layers
 * ({@code optimizer.zero_grad()} is {@link FlatParameters#zeroGradients()}). The arithmetic per
 * number is the same as the optimizer's per-parameter {@code update}.
 */
public interface FlatOptimizer {

    /**
     * Applies one update to every parameter from its gradient; gradients are left as they are.
     *
     * @param parameters the model's parameters, after a backward pass
     */
    void step(FlatParameters parameters);
}
