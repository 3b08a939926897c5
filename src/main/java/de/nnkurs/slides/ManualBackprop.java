package de.nnkurs.slides;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Backpropagation by hand, as the slides derive it, for a stack of sigmoid layers under MSE.
 *
 * <p>Every layer l computes {@code z_l = a_{l−1}·W_lᵀ + b_l} and {@code a_l = σ(z_l)}, with {@code
 * a_0 = x} and the output {@code ŷ = a_L}; the loss is {@code MSE = 1/M Σ (ŷ − y)²} over all M
 * elements of ŷ. The chain rule then gives, from the last layer back:
 *
 * <pre>
 * δ_L       = ∂Loss/∂ŷ ⊙ σ'(z_L)        with ∂Loss/∂ŷ = 2(ŷ − y)/M and σ'(z) = σ(z)(1 − σ(z))
 * ∂Loss/∂W_l = δ_lᵀ · a_{l−1}
 * ∂Loss/∂b_l = Σ over the batch of δ_l
 * δ_{l−1}   = (δ_l · W_l) ⊙ σ'(z_{l−1})
 * </pre>
 *
 * <p>The slides write this out for 1, 2 and 3 layers; the loop below covers any depth.
 */
public final class ManualBackprop {

    private ManualBackprop() {}

    /**
     * One layer's parameters, or their gradients.
     *
     * @param weight {@code W}, shape (out, in), as in DJL's and PyTorch's Linear
     * @param bias {@code b}, shape (out)
     */
    public record Layer(NDArray weight, NDArray bias) {}

    /**
     * Returns the weight and bias of every Linear child, in order; other children are skipped.
     *
     * @param net an initialised block such as {@code Linear, sigmoid, Linear, sigmoid}
     * @return the layers, sharing the block's arrays
     */
    public static List<Layer> layers(SequentialBlock net) {
        List<Layer> layers = new ArrayList<>();
        for (Pair<String, Block> child : net.getChildren()) {
            if (child.getValue() instanceof Linear linear) {
                Parameter w = linear.getParameters().get("weight");
                Parameter b = linear.getParameters().get("bias");
                layers.add(new Layer(w.getArray(), b.getArray()));
            }
        }
        return layers;
    }

    /**
     * Computes {@code ŷ = σ(…σ(σ(x·W₁ᵀ + b₁)·W₂ᵀ + b₂)…·W_Lᵀ + b_L)}.
     *
     * @param layers the layers, first to last
     * @param x the input batch, shape (N, in)
     * @return ŷ, shape (N, out of the last layer)
     */
    public static NDArray forward(List<Layer> layers, NDArray x) {
        List<NDArray> a = activations(layers, x);
        return a.get(a.size() - 1);
    }

    /** Returns a_0 = x, a_1, …, a_L. */
    private static List<NDArray> activations(List<Layer> layers, NDArray x) {
        List<NDArray> a = new ArrayList<>();
        a.add(x);
        for (Layer layer : layers) {
            NDArray z = a.get(a.size() - 1).matMul(layer.weight().transpose()).add(layer.bias());
            a.add(z.getNDArrayInternal().sigmoid()); // a_l = σ(z_l)
        }
        return a;
    }

    /** Returns σ'(z) = σ(z)(1 − σ(z)), computed from a = σ(z). */
    private static NDArray sigmoidDerivative(NDArray a) {
        return a.mul(a.neg().add(1));
    }

    /**
     * Computes the gradient of the MSE loss with respect to every weight and bias by the chain
     * rule, without autograd.
     *
     * @param layers the layers, first to last
     * @param x the input batch, shape (N, in)
     * @param y the targets, shape (N, out of the last layer)
     * @return {@code (∂Loss/∂W_l, ∂Loss/∂b_l)} for every layer, first to last, owned by {@code x}'s
     *     manager
     */
    public static List<Layer> gradients(List<Layer> layers, NDArray x, NDArray y) {
        List<Layer> gradients = new ArrayList<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> a = activations(layers, x);
            NDArray yHat = a.get(layers.size());
            NDArray dLossDyHat = yHat.sub(y).mul(2f / y.size()); //   ∂Loss/∂ŷ = 2(ŷ − y)/M
            NDArray delta = dLossDyHat.mul(sigmoidDerivative(yHat)); // δ_L
            for (int l = layers.size(); l >= 1; l--) {
                NDArray dW = delta.transpose().matMul(a.get(l - 1)); // δ_lᵀ · a_{l−1}
                NDArray db = delta.sum(new int[] {0}); //               Σ_batch δ_l
                gradients.add(new Layer(dW, db));
                NDScope.unregister(dW, db);
                if (l > 1) {
                    NDArray w = layers.get(l - 1).weight();
                    delta = delta.matMul(w).mul(sigmoidDerivative(a.get(l - 1))); // δ_{l−1}
                }
            }
        }
        for (Layer g : gradients) {
            g.weight().attach(x.getManager());
            g.bias().attach(x.getManager());
        }
        Collections.reverse(gradients);
        return gradients;
    }
}
