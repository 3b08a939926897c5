package de.nnkurs.model;

import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.UniformInitializer;

/** Layer factories that behave like their PyTorch counterparts. */
public final class Layers {

    private Layers() {}

    /**
     * Returns {@code nn.Linear(in, out)} with PyTorch's default initialisation.
     *
     * <p>PyTorch draws weights with {@code kaiming_uniform_(a=√5)}, which is uniform in (−1/√in,
     * 1/√in), and biases from the same range. DJL's default (Xavier) would start the Java run from
     * a different distribution than the Python one.
     *
     * @param in input features ({@code fan_in})
     * @param out output features
     * @return the layer, not yet initialised
     */
    public static Linear linear(int in, int out) {
        Linear layer = Linear.builder().setUnits(out).build();
        UniformInitializer init = new UniformInitializer((float) (1.0 / Math.sqrt(in)));
        layer.setInitializer(init, Parameter.Type.WEIGHT);
        layer.setInitializer(init, Parameter.Type.BIAS);
        return layer;
    }
}
