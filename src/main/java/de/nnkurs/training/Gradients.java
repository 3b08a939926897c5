package de.nnkurs.training;

import ai.djl.ndarray.NDArray;

/** Zeroing a parameter's gradient, the Java home of {@code optimizer.zero_grad()}. */
final class Gradients {

    private Gradients() {}

    /**
     * Sets {@code weight}'s accumulated gradient to zero in place.
     *
     * <p>PyTorch accumulates gradients over backward calls and so does DJL: its {@code
     * GradientCollector} never zeroes them, and its own optimizers zero them inside their native
     * update. {@code LocalParameterServer} hands {@code update} a duplicate of the gradient, so an
     * optimizer written in Java must zero the weight's own gradient, or every step would add the
     * previous steps' gradients. {@code getGradient()} returns a new handle on the same storage in
     * the PyTorch engine, so subtracting it from itself in place zeroes the real gradient (to +0;
     * multiplying by 0 would leave −0 in negative entries).
     */
    static void zero(NDArray weight) {
        if (weight.hasGradient()) {
            try (NDArray gradient = weight.getGradient()) {
                gradient.subi(gradient);
            }
        }
    }
}
