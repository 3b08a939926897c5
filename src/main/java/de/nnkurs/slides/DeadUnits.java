package de.nnkurs.slides;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Pair;

import de.nnkurs.data.DataLoader;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.model.Models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds dead hidden units: units whose pre-activation is ≤ 0 for every example looked at.
 *
 * <p>A ReLU unit in that state outputs 0 for every input and gets zero gradient, so nothing can
 * move it back: it has died. "Dead" is defined here on the pre-activation {@code z = x·Wᵀ + b} of
 * each hidden Linear layer (every Linear but the last), not on the activation's output, so that the
 * count means the same for every activation: a Leaky ReLU or ALReLU unit in that state still
 * outputs α·z ≠ 0 and still gets gradient α, so it can come back. A NaN pre-activation (a diverged
 * training) is neither dead nor alive and raises {@link IllegalStateException}.
 */
public final class DeadUnits {

    private static final int CHUNK = 1000;

    private DeadUnits() {}

    /**
     * Returns, for each hidden layer, which units have a pre-activation ≤ 0 for the whole batch.
     *
     * @param net a SequentialBlock of Linear layers and activations, initialised
     * @param ps the parameter store to read the weights through
     * @param images the batch, (B, 784) or (B, 1, 28, 28)
     * @return one array per hidden layer, {@code true} for a dead unit
     */
    public static boolean[][] deadMask(SequentialBlock net, ParameterStore ps, NDArray images) {
        return mask(maxPreActivations(net, ps, images));
    }

    /**
     * Counts the dead units of each hidden layer over a batch.
     *
     * @param net a SequentialBlock of Linear layers and activations, initialised
     * @param ps the parameter store to read the weights through
     * @param images the batch, (B, 784) or (B, 1, 28, 28)
     * @return the number of dead units per hidden layer, first to last
     */
    public static int[] count(SequentialBlock net, ParameterStore ps, NDArray images) {
        return count(deadMask(net, ps, images));
    }

    /**
     * Counts the dead units of each hidden layer over a whole split, in chunks.
     *
     * @param net a SequentialBlock of Linear layers and activations, initialised
     * @param ps the parameter store to read the weights through
     * @param manager the caller's manager; each chunk lives in a sub-manager of it
     * @param split the examples; a unit is dead if no example gives it a positive pre-activation
     * @return the number of dead units per hidden layer, first to last
     */
    public static int[] count(
            SequentialBlock net, ParameterStore ps, NDManager manager, MnistSplit split) {
        float[][] max = null;
        for (Batch chunk : new DataLoader(manager, split, CHUNK, false, null)) {
            try (chunk) {
                float[][] chunkMax = maxPreActivations(net, ps, chunk.getData().head());
                if (max == null) {
                    max = chunkMax;
                } else {
                    for (int l = 0; l < max.length; l++) {
                        for (int u = 0; u < max[l].length; u++) {
                            max[l][u] = Math.max(max[l][u], chunkMax[l][u]);
                        }
                    }
                }
            }
        }
        if (max == null) {
            throw new IllegalArgumentException("the split has no examples");
        }
        return count(mask(max));
    }

    /** Returns, per hidden layer and unit, the largest pre-activation over the batch. */
    private static float[][] maxPreActivations(
            SequentialBlock net, ParameterStore ps, NDArray images) {
        List<Block> children = new ArrayList<>();
        int lastLinear = -1;
        for (Pair<String, Block> child : net.getChildren()) {
            if (child.getValue() instanceof Linear) {
                lastLinear = children.size();
            }
            children.add(child.getValue());
        }
        List<float[]> max = new ArrayList<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = Models.flatten(images);
            for (int i = 0; i < children.size(); i++) {
                Block child = children.get(i);
                x = child.forward(ps, new NDList(x), false).singletonOrThrow();
                if (child instanceof Linear && i != lastLinear) {
                    max.add(x.max(new int[] {0}).toFloatArray()); // z of a hidden layer
                }
            }
        }
        return max.toArray(new float[0][]);
    }

    private static boolean[][] mask(float[][] maxPreActivations) {
        boolean[][] dead = new boolean[maxPreActivations.length][];
        for (int l = 0; l < dead.length; l++) {
            dead[l] = new boolean[maxPreActivations[l].length];
            for (int u = 0; u < dead[l].length; u++) {
                if (Float.isNaN(maxPreActivations[l][u])) {
                    throw new IllegalStateException(
                            "hidden layer "
                                    + (l + 1)
                                    + ", unit "
                                    + u
                                    + ": pre-activation is NaN, the training has diverged");
                }
                dead[l][u] = maxPreActivations[l][u] <= 0;
            }
        }
        return dead;
    }

    private static int[] count(boolean[][] dead) {
        return Arrays.stream(dead)
                .mapToInt(
                        layer -> {
                            int n = 0;
                            for (boolean d : layer) {
                                n += d ? 1 : 0;
                            }
                            return n;
                        })
                .toArray();
    }
}
