package de.nnkurs.slides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

/** A stack of Linear layers without activation is one Linear layer; with ReLU it is not. */
class LinearCollapseTest {

    private static final int[] WIDTHS = {6, 5, 4, 3};

    /** Returns three initialised Linear layers 6→5→4→3 with random weights and biases. */
    private static Linear[] layers(NDManager manager) {
        Engine.getInstance().setRandomSeed(3);
        Linear[] layers = new Linear[WIDTHS.length - 1];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = Linear.builder().setUnits(WIDTHS[i + 1]).build();
            layers[i].initialize(manager, DataType.FLOAT32, new Shape(1, WIDTHS[i]));
            // Xavier leaves the biases at 0, which would hide a wrong b_ges.
            layers[i]
                    .getParameters()
                    .get("bias")
                    .getArray()
                    .addi(manager.randomNormal(new Shape(WIDTHS[i + 1])));
        }
        return layers;
    }

    private static SequentialBlock stack(Linear[] layers, boolean reluBetween) {
        SequentialBlock net = new SequentialBlock();
        for (int i = 0; i < layers.length; i++) {
            if (i > 0 && reluBetween) {
                net.add(Activation.reluBlock());
            }
            net.add(layers[i]);
        }
        return net;
    }

    private static NDArray forward(SequentialBlock net, NDManager manager, NDArray x) {
        ParameterStore ps = new ParameterStore(manager, false);
        return net.forward(ps, new NDList(x), false).singletonOrThrow();
    }

    @Test
    void collapsedWeightIsTheProductOfTheWeightsLastFirst() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear[] l = layers(manager);
            NDArray w1 = l[0].getParameters().get("weight").getArray();
            NDArray w2 = l[1].getParameters().get("weight").getArray();
            NDArray w3 = l[2].getParameters().get("weight").getArray();
            NDArray b1 = l[0].getParameters().get("bias").getArray();
            NDArray b2 = l[1].getParameters().get("bias").getArray();
            NDArray b3 = l[2].getParameters().get("bias").getArray();
            LinearCollapse.Collapsed c = LinearCollapse.collapse(stack(l, false), manager);
            assertEquals(new Shape(3, 6), c.weight().getShape());
            assertTrue(c.weight().allClose(w3.matMul(w2).matMul(w1), 1e-5, 1e-6, false));
            NDArray expectedBias = w3.matMul(w2.matMul(b1).add(b2)).add(b3);
            assertTrue(c.bias().allClose(expectedBias, 1e-5, 1e-6, false));
        }
    }

    @Test
    void threeLinearLayersWithoutActivationEqualTheCollapsedLayer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = stack(layers(manager), false);
            NDArray x = manager.randomNormal(new Shape(8, 6));
            NDArray y = forward(net, manager, x);
            LinearCollapse.Collapsed c = LinearCollapse.collapse(net, manager);
            assertTrue(c.apply(x).allClose(y, 1e-5, 1e-5, false));
        }
    }

    @Test
    void collapsedLinearBlockComputesWhatTheStackComputes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = stack(layers(manager), false);
            NDArray x = manager.randomNormal(new Shape(8, 6));
            Linear one = LinearCollapse.collapse(net, manager).toLinear(manager);
            NDArray y = forward(new SequentialBlock().add(one), manager, x);
            assertTrue(y.allClose(forward(net, manager, x), 1e-5, 1e-5, false));
        }
    }

    @Test
    void withReluBetweenTheLayersTheCollapsedLayerDoesNotReproduceTheOutputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear[] l = layers(manager);
            NDArray x = manager.randomNormal(new Shape(8, 6));
            NDArray withRelu = forward(stack(l, true), manager, x);
            LinearCollapse.Collapsed c = LinearCollapse.collapse(stack(l, false), manager);
            assertFalse(c.apply(x).allClose(withRelu, 1e-2, 1e-2, false));
        }
    }

    @Test
    void collapseRejectsAStackWithAnActivationNamingIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = stack(layers(manager), true);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> LinearCollapse.collapse(net, manager));
            assertEquals(
                    "only Linear layers collapse, but 02LambdaBlock is a LambdaBlock",
                    e.getMessage());
        }
    }
}
