package de.nnkurs.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

import de.nnkurs.Choice;

/**
 * The slides' activation functions for hidden layers, each with a label, a block and a function.
 *
 * <p>Where DJL has a correct built-in it is used: sigmoid, tanh, ReLU, Leaky ReLU, ELU, SELU, GELU,
 * Swish and ReLU6. This package supplies ALReLU (new), RReLU (missing in DJL), PReLU (DJL's throws
 * on the PyTorch engine) and Mish (DJL's {@code Activation.mish} takes {@code log2} where the
 * definition has {@code ln}).
 */
public enum HiddenActivation implements Choice {

    /** σ(x) = 1 / (1 + e^−x). */
    SIGMOID,

    /** tanh(x). */
    TANH,

    /** max(0, x). */
    RELU,

    /** x for x ≥ 0, α·x otherwise, α = 0.01 as in PyTorch's {@code nn.LeakyReLU()}. */
    LEAKY_RELU,

    /** Absolute leaky ReLU from the slides: x for x > 0, |α·x| otherwise, α = 0.01. */
    ALRELU,

    /** x for x ≥ 0, α·x otherwise with a learned α starting at 0.25 ({@code nn.PReLU()}). */
    PRELU,

    /** Leaky ReLU with a random slope in [1/8, 1/3] in training, 11/48 in inference. */
    RRELU,

    /** x for x > 0, α·(e^x − 1) otherwise, α = 1. */
    ELU,

    /** λ·ELU with α ≈ 1.6733 and λ ≈ 1.0507, PyTorch's {@code nn.SELU()}. */
    SELU,

    /** x·Φ(x) with the exact Φ(x) = (1 + erf(x/√2)) / 2, not the tanh approximation. */
    GELU,

    /** x·σ(x), i.e. Swish with β = 1, PyTorch's {@code nn.SiLU()}. */
    SWISH,

    /** x·tanh(ln(1 + e^x)). */
    MISH,

    /** min(6, max(0, x)). */
    RELU6;

    /** Leaky ReLU's slope for negative inputs, PyTorch's default {@code negative_slope}. */
    public static final float LEAKY_ALPHA = 0.01f;

    /** ALReLU's α from the slides. */
    public static final float ALRELU_ALPHA = 0.01f;

    /** ELU's α, PyTorch's default. */
    public static final float ELU_ALPHA = 1f;

    /**
     * Returns the activation with the given label.
     *
     * @param label e.g. {@code alrelu}, case-insensitive
     * @return the activation
     * @throws IllegalArgumentException naming the valid labels if there is none by that name
     */
    public static HiddenActivation fromLabel(String label) {
        return Choice.parse(HiddenActivation.class, "activation", label);
    }

    /** Returns a new block applying this activation, to put after a Linear in a SequentialBlock. */
    public Block block() {
        return switch (this) {
            case SIGMOID -> Activation.sigmoidBlock();
            case TANH -> Activation.tanhBlock();
            case RELU -> Activation.reluBlock();
            case LEAKY_RELU -> Activation.leakyReluBlock(LEAKY_ALPHA);
            case ALRELU -> new LambdaBlock(x -> new NDList(alrelu(x.singletonOrThrow())), "ALReLU");
            case PRELU -> new PRelu();
            case RRELU -> new RRelu();
            case ELU -> Activation.eluBlock(ELU_ALPHA);
            case SELU -> Activation.seluBlock();
            case GELU -> Activation.geluBlock();
            case SWISH -> Activation.swishBlock(1f);
            case MISH -> new LambdaBlock(x -> new NDList(mish(x.singletonOrThrow())), "Mish");
            case RELU6 -> Activation.relu6Block();
        };
    }

    /**
     * Applies the activation element-wise, as in inference.
     *
     * <p>PReLU uses its initial α = 0.25 and RReLU its inference slope 11/48; their blocks differ
     * in training (α learned, slopes random).
     *
     * @param x the input
     * @return a new array of the same shape
     */
    public NDArray apply(NDArray x) {
        return switch (this) {
            case SIGMOID -> Activation.sigmoid(x);
            case TANH -> Activation.tanh(x);
            case RELU -> Activation.relu(x);
            case LEAKY_RELU -> Activation.leakyRelu(x, LEAKY_ALPHA);
            case ALRELU -> alrelu(x);
            case PRELU -> Activation.leakyRelu(x, PRelu.INITIAL_ALPHA);
            case RRELU -> RRelu.rrelu(x, false);
            case ELU -> Activation.elu(x, ELU_ALPHA);
            case SELU -> Activation.selu(x);
            case GELU -> Activation.gelu(x);
            case SWISH -> Activation.swish(x, 1f);
            case MISH -> mish(x);
            case RELU6 -> Activation.relu6(x);
        };
    }

    /** ALReLU written as on the slide: relu(x) + |α·min(0, x)|, whose slope for x < 0 is −α. */
    private static NDArray alrelu(NDArray x) {
        return Activation.relu(x).add(x.minimum(0).mul(ALRELU_ALPHA).abs());
    }

    /** Mish with the natural logarithm: softplus is torch's {@code ln(1 + e^x)}. */
    private static NDArray mish(NDArray x) {
        return Activation.softPlus(x).tanh().mul(x);
    }

    /** Returns the label, so that a choice prints as it is typed, e.g. {@code leaky-relu}. */
    @Override
    public String toString() {
        return label();
    }
}
