package de.nnkurs.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Randomized leaky ReLU, PyTorch's {@code nn.RReLU(lower=1/8, upper=1/3)}.
 *
 * <p>In training each negative element gets its own slope drawn uniformly from [1/8, 1/3]; in
 * inference every negative element gets the mean slope (1/8 + 1/3) / 2 = 11/48. DJL has no RReLU,
 * and a {@code LambdaBlock} cannot tell training from inference, hence a block of its own.
 */
public final class RRelu extends AbstractBlock {

    /** The smallest slope drawn in training, PyTorch's default {@code lower}. */
    public static final float LOWER = 1f / 8;

    /** The largest slope drawn in training, PyTorch's default {@code upper}. */
    public static final float UPPER = 1f / 3;

    /** The slope used in inference: the mean of the training slopes. */
    public static final float INFERENCE_SLOPE = (LOWER + UPPER) / 2;

    private static final byte VERSION = 1;

    /** Creates the block; it has no parameters. */
    public RRelu() {
        super(VERSION);
    }

    /**
     * Applies RReLU.
     *
     * @param x the input
     * @param training whether to draw random slopes (training) or use the mean slope (inference)
     * @return {@code x} where {@code x ≥ 0}, {@code a·x} elsewhere
     */
    public static NDArray rrelu(NDArray x, boolean training) {
        if (!training) {
            return Activation.leakyRelu(x, INFERENCE_SLOPE);
        }
        // The slopes are constants of this forward pass: autograd sees y = a·x, so dy/dx = a.
        NDArray slopes = x.getManager().randomUniform(LOWER, UPPER, x.getShape(), x.getDataType());
        return NDArrays.where(x.gte(0), x, x.mul(slopes));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(rrelu(inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
