package de.nnkurs.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import de.nnkurs.Lesson;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The slides' classifier: sizes, outputs, the two styles, PyTorch's initialisation. */
class ModelsTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(7);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Block initialised(Block block) {
        block.initialize(manager, DataType.FLOAT32, Models.INPUT_SHAPE);
        return block;
    }

    private NDArray forward(Block block, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).head();
    }

    @Test
    void sequentialModelHas59210Parameters() {
        assertEquals(59_210, Models.parameterCount(initialised(Models.sequential(Variant.SLIDES))));
        assertEquals(59_210, Models.parameterCount(initialised(Models.sequential(Variant.LOGITS))));
    }

    @Test
    void classStyleModelHas59210Parameters() {
        assertEquals(59_210, Models.parameterCount(initialised(new Classifier(Variant.SLIDES))));
    }

    @Test
    void outputIsBatchByTenClasses() {
        Block net = initialised(Models.sequential(Variant.SLIDES));
        NDArray out = forward(net, manager.randomNormal(new Shape(5, Lesson.INPUT)));
        assertEquals(new Shape(5, Lesson.OUTPUT), out.getShape());
        assertEquals(
                new Shape(5, Lesson.OUTPUT),
                net.getOutputShapes(new Shape[] {new Shape(5, 784)})[0]);
    }

    @Test
    void slidesVariantOutputsProbabilities() {
        Block net = initialised(Models.sequential(Variant.SLIDES));
        NDArray out = forward(net, manager.randomNormal(new Shape(8, Lesson.INPUT)));
        float[] rowSums = out.sum(new int[] {1}).toFloatArray();
        for (float s : rowSums) {
            assertEquals(1f, s, 1e-5f);
        }
        assertTrue(out.gte(0).all().getBoolean());
    }

    @Test
    void logitsVariantIsTheSlidesModelWithoutTheSoftmax() {
        Block slides = initialised(Models.sequential(Variant.SLIDES));
        Block logits = initialised(Models.sequential(Variant.LOGITS));
        copyParameters(slides, logits);
        NDArray x = manager.randomNormal(new Shape(4, Lesson.INPUT));
        NDArray expected = forward(slides, x);
        NDArray actual = forward(logits, x).softmax(1);
        assertTrue(expected.allClose(actual, 1e-6, 1e-7, false));
        assertTrue(forward(logits, x).lt(0).any().getBoolean(), "logits may be negative");
    }

    @Test
    void classStyleAndSequentialStyleGiveIdenticalOutputsForIdenticalWeights() {
        for (Variant variant : Variant.values()) {
            Block sequential = initialised(Models.sequential(variant));
            Block classStyle = initialised(new Classifier(variant));
            copyParameters(sequential, classStyle);
            NDArray x = manager.randomNormal(new Shape(16, Lesson.INPUT));
            assertArrayEquals(
                    forward(sequential, x).toFloatArray(),
                    forward(classStyle, x).toFloatArray(),
                    variant.label());
        }
    }

    @Test
    void weightsAndBiasesAreUniformInPlusMinusOneOverSqrtFanIn() {
        Block net = initialised(Models.sequential(Variant.SLIDES));
        List<Parameter> params = net.getParameters().values();
        for (int i = 0; i < params.size(); i += 2) {
            NDArray weight = params.get(i).getArray();
            NDArray bias = params.get(i + 1).getArray();
            float bound = (float) (1 / Math.sqrt(weight.getShape().get(1)));
            for (NDArray a : List.of(weight, bias)) {
                float max = a.abs().max().getFloat();
                assertTrue(max <= bound, "|value| " + max + " exceeds 1/sqrt(fan_in) " + bound);
            }
            // A uniform sample this large comes close to its bound, unlike DJL's default Xavier.
            assertTrue(weight.abs().max().getFloat() > 0.98f * bound, "weights fill the range");
            float mean = weight.mean().getFloat();
            assertEquals(0f, mean, bound / 10, "centred on zero");
        }
    }

    @Test
    void parametersAreNamedAndOrderedLikeTheStateDict() {
        Block net = initialised(Models.sequential(Variant.SLIDES));
        Map<String, Parameter> named = StateDict.parameters(net);
        // print(model.state_dict().keys()) for the slides' nn.Sequential, with their shapes:
        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put("0.weight", new Shape(64, 784));
        expected.put("0.bias", new Shape(64));
        expected.put("2.weight", new Shape(64, 64));
        expected.put("2.bias", new Shape(64));
        expected.put("4.weight", new Shape(64, 64));
        expected.put("4.bias", new Shape(64));
        expected.put("6.weight", new Shape(10, 64));
        expected.put("6.bias", new Shape(10));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(named.keySet()));
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            assertEquals(e.getValue(), named.get(e.getKey()).getArray().getShape(), e.getKey());
        }
        assertEquals(List.copyOf(named.values()), net.getParameters().values());
    }

    private static void copyParameters(Block from, Block to) {
        List<Parameter> src = from.getParameters().values();
        List<Parameter> dst = to.getParameters().values();
        assertEquals(src.size(), dst.size());
        for (int i = 0; i < src.size(); i++) {
            dst.get(i).getArray().set(new NDIndex("..."), src.get(i).getArray());
        }
    }
}
