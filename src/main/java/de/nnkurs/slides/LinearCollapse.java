package de.nnkurs.slides;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

/**
 * Collapses a stack of Linear layers without activations into the one Linear layer it equals.
 *
 * <p>Each layer computes {@code y = x·Wᵀ + b} with {@code W} of shape (out, in), as in PyTorch.
 * Stacking N of them gives {@code W_ges = W_N·…·W₂·W₁} and {@code b_ges = W_N·(…(W₂·b₁ + b₂)…) +
 * b_N}: without a non-linearity between them, depth adds no expressive power.
 */
public final class LinearCollapse {

    private LinearCollapse() {}

    /**
     * The single layer a stack collapses to.
     *
     * @param weight {@code W_ges}, shape (out of the last layer, in of the first)
     * @param bias {@code b_ges}, shape (out of the last layer)
     */
    public record Collapsed(NDArray weight, NDArray bias) {

        /** Returns {@code x·W_gesᵀ + b_ges}. */
        public NDArray apply(NDArray x) {
            return x.matMul(weight.transpose()).add(bias);
        }

        /**
         * Returns a new, initialised Linear block holding copies of the collapsed weight and bias.
         *
         * @param manager the caller's manager, which owns the block's parameters
         * @return the block
         */
        public Linear toLinear(NDManager manager) {
            Shape out = weight.getShape();
            Linear linear = Linear.builder().setUnits(out.get(0)).build();
            linear.initialize(manager, weight.getDataType(), new Shape(1, out.get(1)));
            // An indexed set, not copyTo, which makes libtorch print a deprecation warning.
            linear.getParameters().get("weight").getArray().set(new NDIndex("..."), weight);
            linear.getParameters().get("bias").getArray().set(new NDIndex("..."), bias);
            return linear;
        }
    }

    /**
     * Multiplies out an initialised stack of Linear layers.
     *
     * @param stack a SequentialBlock whose children are all {@link Linear}; a missing bias is 0
     * @param manager the caller's manager, which owns the returned arrays
     * @return {@code W_ges} and {@code b_ges}
     * @throws IllegalArgumentException naming the first child that is not a Linear layer
     */
    public static Collapsed collapse(SequentialBlock stack, NDManager manager) {
        if (stack.getChildren().isEmpty()) {
            throw new IllegalArgumentException("the stack has no layers");
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray w = null;
            NDArray b = null;
            for (Pair<String, Block> child : stack.getChildren()) {
                if (!(child.getValue() instanceof Linear linear)) {
                    throw new IllegalArgumentException(
                            "only Linear layers collapse, but "
                                    + child.getKey()
                                    + " is a "
                                    + child.getValue().getClass().getSimpleName());
                }
                NDArray wl = linear.getParameters().get("weight").getArray();
                Parameter biasParameter = linear.getParameters().get("bias");
                NDArray bl =
                        biasParameter == null
                                ? wl.getManager().zeros(new Shape(wl.getShape().get(0)))
                                : biasParameter.getArray();
                if (w == null) {
                    w = wl.duplicate(); // W_ges = W₁
                    b = bl.duplicate(); // b_ges = b₁
                } else {
                    b = wl.matMul(b).add(bl); // b_ges ← W_l·b_ges + b_l
                    w = wl.matMul(w); //         W_ges ← W_l·W_ges
                }
            }
            NDScope.unregister(w, b);
            w.attach(manager);
            b.attach(manager);
            return new Collapsed(w, b);
        }
    }
}
