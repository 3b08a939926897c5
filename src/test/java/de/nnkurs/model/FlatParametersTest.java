package de.nnkurs.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** One flat buffer behind a block's parameters and gradients. */
class FlatParametersTest {

    private static final Architecture SMALL =
            new Architecture(List.of(5, 3), HiddenActivation.RELU, Variant.LOGITS);

    @Test
    void flatteningKeepsEveryParametersValuesAndShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Models.sequential(SMALL);
            Models.initialize(block, manager, 7);
            List<float[]> before = values(block);
            List<Shape> shapes = new ArrayList<>();
            block.getParameters().values().forEach(p -> shapes.add(p.getArray().getShape()));

            FlatParameters flat = FlatParameters.of(block);

            assertEquals(before.size(), values(block).size());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), values(block).get(i));
            }
            List<Shape> after = new ArrayList<>();
            block.getParameters().values().forEach(p -> after.add(p.getArray().getShape()));
            assertEquals(shapes, after);
            // 784·5 + 5 + 5·3 + 3 + 3·10 + 10 = 3,983 numbers, each part padded to 16 floats.
            assertEquals(3920 + 16 + 16 + 16 + 32 + 16, flat.length());
        }
    }

    @Test
    void writingTheFlatValuesWritesTheLayers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Models.sequential(SMALL);
            Models.initialize(block, manager, 7);
            NDArray firstBias = block.getParameters().get("01Linear_bias").getArray();
            float[] expected = firstBias.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                expected[i] += 1;
            }
            FlatParameters flat = FlatParameters.of(block);
            flat.values().addi(manager.create(1f));
            assertArrayEquals(expected, firstBias.toFloatArray());
        }
    }

    @Test
    void theFlatGradientsAreTheLayersGradientsAndTheNextBackwardAddsIntoThem() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Models.sequential(SMALL);
            Models.initialize(block, manager, 7);
            FlatParameters flat = FlatParameters.of(block);
            NDArray x = manager.randomUniform(-1, 1, new Shape(4, 784));
            NDArray y = manager.create(new long[] {1, 2, 3, 4});

            backward(block, manager, x, y);
            List<float[]> first = gradients(block);
            float[] all = flat.gradients().toFloatArray();
            assertEquals(first.get(0)[17], all[17], 0f);
            assertEquals(
                    first.get(1)[2], all[3920 + 2], 0f, "the first bias after the padded weight");

            backward(block, manager, x, y); // accumulates, as in PyTorch without zero_grad()
            float[] twice = flat.gradients().toFloatArray();
            assertEquals(2 * first.get(0)[17], twice[17], 1e-6f * Math.abs(first.get(0)[17]));
            assertArrayEquals(
                    gradients(block).get(0), java.util.Arrays.copyOfRange(twice, 0, 3920));

            // Overflowed gradients (±inf, and NaN where 0·inf) are zeroed too, as by zero_().
            flat.gradients().muli(manager.create(Float.POSITIVE_INFINITY));
            flat.zeroGradients();
            for (float[] g : gradients(block)) {
                for (float v : g) {
                    assertEquals(0, Float.floatToIntBits(v), "+0, not " + v);
                }
            }
        }
    }

    @Test
    void zeroingBeforeTheFirstBackwardDoesNothingAndGradientsBeforeItAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Models.sequential(SMALL);
            Models.initialize(block, manager, 7);
            FlatParameters flat = FlatParameters.of(block);
            flat.zeroGradients();
            IllegalStateException e = assertThrows(IllegalStateException.class, flat::gradients);
            assertTrue(e.getMessage().contains("no gradient yet"), e.getMessage());
        }
    }

    @Test
    void aFrozenParameterStaysOutOfTheBuffers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Models.sequential(SMALL);
            Models.initialize(block, manager, 7);
            Parameter frozen = block.getParameters().get("01Linear_weight");
            frozen.freeze(true);
            FlatParameters flat = FlatParameters.of(block);
            assertTrue(!flat.ids().contains(frozen.getId()), flat.ids().toString());
            assertEquals(16 + 16 + 16 + 32 + 16, flat.length());
        }
    }

    @Test
    void anUninitialisedBlockIsRefused() {
        Block block = Models.sequential(SMALL);
        assertThrows(IllegalStateException.class, () -> FlatParameters.of(block));
    }

    private static void backward(Block block, NDManager manager, NDArray x, NDArray y) {
        try (NDManager step = manager.newSubManager();
                GradientCollector tape = Engine.getInstance().newGradientCollector()) {
            NDList out = block.forward(new ParameterStore(step, false), new NDList(x), true);
            NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), out);
            tape.backward(loss);
        }
    }

    private static List<float[]> values(Block block) {
        List<float[]> values = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            values.add(p.getArray().toFloatArray());
        }
        return values;
    }

    private static List<float[]> gradients(Block block) {
        List<float[]> gradients = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            try (NDArray g = p.getArray().getGradient()) {
                gradients.add(g.toFloatArray());
            }
        }
        return gradients;
    }
}
