package de.nnkurs.slides;

import de.nnkurs.model.HiddenActivation;
import de.nnkurs.training.SlideLosses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

/** The chain rule by hand equals DJL's autograd for 1, 2 and 3 sigmoid layers under MSE. */
class ManualBackpropTest {

    private static final int[] WIDTHS = {5, 4, 6, 3};

    /** Returns {@code Linear, sigmoid} × depth with random weights and biases, initialised. */
    private static SequentialBlock net(NDManager manager, int depth) {
        Engine.getInstance().setRandomSeed(depth);
        SequentialBlock net = new SequentialBlock();
        for (int l = 1; l <= depth; l++) {
            int out = l == depth ? WIDTHS[WIDTHS.length - 1] : WIDTHS[l];
            net.add(Linear.builder().setUnits(out).build()).add(HiddenActivation.SIGMOID.block());
        }
        net.initialize(manager, DataType.FLOAT32, new Shape(1, WIDTHS[0]));
        // Xavier leaves biases at 0; random ones make every term of the chain rule count.
        for (ManualBackprop.Layer layer : ManualBackprop.layers(net)) {
            layer.bias().addi(manager.randomNormal(layer.bias().getShape()));
        }
        return net;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void forwardEqualsDjlsLinearAndSigmoidBlocks(int depth) {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = net(manager, depth);
            NDArray x = manager.randomNormal(new Shape(7, WIDTHS[0]));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray djl = net.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray byHand = ManualBackprop.forward(ManualBackprop.layers(net), x);
            assertTrue(byHand.allClose(djl, 1e-5, 1e-7, false));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void everyGradientByHandEqualsDjlsAutograd(int depth) {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = net(manager, depth);
            NDArray x = manager.randomNormal(new Shape(7, WIDTHS[0]));
            NDArray y = manager.randomUniform(0, 1, new Shape(7, WIDTHS[WIDTHS.length - 1]));
            List<ManualBackprop.Layer> layers = ManualBackprop.layers(net);

            List<ManualBackprop.Layer> byHand = ManualBackprop.gradients(layers, x, y);

            ParameterStore ps = new ParameterStore(manager, false);
            try (GradientCollector tape = Engine.getInstance().newGradientCollector()) {
                NDArray yHat = net.forward(ps, new NDList(x), true).singletonOrThrow();
                tape.backward(SlideLosses.mse().evaluate(new NDList(y), new NDList(yHat)));
            }
            assertEquals(depth, byHand.size());
            for (int l = 0; l < depth; l++) {
                NDArray w = layers.get(l).weight();
                NDArray b = layers.get(l).bias();
                assertTrue(
                        byHand.get(l).weight().allClose(w.getGradient(), 1e-5, 1e-7, false),
                        "∂Loss/∂W" + (l + 1) + " of " + depth);
                assertTrue(
                        byHand.get(l).bias().allClose(b.getGradient(), 1e-5, 1e-7, false),
                        "∂Loss/∂b" + (l + 1) + " of " + depth);
            }
        }
    }

    @Test
    void oneNeuronGradientIsTwiceTheErrorTimesSigmoidDerivativeTimesInput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[][] {{1f, 2f}});
            NDArray w = manager.create(new float[][] {{0.5f, -0.25f}});
            NDArray b = manager.create(new float[] {0.1f});
            NDArray y = manager.create(new float[][] {{1f}});
            ManualBackprop.Layer g =
                    ManualBackprop.gradients(List.of(new ManualBackprop.Layer(w, b)), x, y).get(0);
            double yHat = 1 / (1 + Math.exp(-0.1)); // z = 0.5·1 − 0.25·2 + 0.1
            double dLossDb = 2 * (yHat - 1) * yHat * (1 - yHat); // ≈ −0.2369
            assertEquals(dLossDb, g.bias().getFloat(), 1e-6);
            assertArrayEquals(
                    new float[] {(float) dLossDb, (float) (2 * dLossDb)},
                    g.weight().toFloatArray(),
                    1e-6f);
        }
    }
}
