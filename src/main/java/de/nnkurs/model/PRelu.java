package de.nnkurs.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Parametric ReLU with one learned slope, PyTorch's {@code nn.PReLU()}.
 *
 * <p>DJL's own {@code Activation.preluBlock()} throws {@code UnsupportedOperationException} on the
 * PyTorch engine (its {@code PtNDArrayEx.prelu} is not implemented), so this block writes the
 * formula {@code max(0, x) + α·min(0, x)} out in NDArray operations and lets autograd find ∂/∂α.
 */
public final class PRelu extends AbstractBlock {

    /** PyTorch's initial slope for the negative side. */
    public static final float INITIAL_ALPHA = 0.25f;

    private static final byte VERSION = 1;

    private final Parameter alpha;

    /** Creates the block with α starting at {@link #INITIAL_ALPHA}. */
    public PRelu() {
        super(VERSION);
        // Type OTHER, so that a training config's WEIGHT initializer does not replace 0.25.
        alpha =
                addParameter(
                        Parameter.builder()
                                .setName("alpha")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape())
                                .optInitializer(new ConstantInitializer(INITIAL_ALPHA))
                                .build());
    }

    /**
     * Applies PReLU with a given slope.
     *
     * @param x the input
     * @param alpha the slope for negative inputs, a scalar array or broadcastable to {@code x}
     * @return {@code max(0, x) + α·min(0, x)}
     */
    public static NDArray prelu(NDArray x, NDArray alpha) {
        return x.maximum(0).add(x.minimum(0).mul(alpha));
    }

    /** Returns the learned slope; valid after the block is initialised. */
    public NDArray getAlpha() {
        return alpha.getArray();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(prelu(x, ps.getValue(alpha, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
