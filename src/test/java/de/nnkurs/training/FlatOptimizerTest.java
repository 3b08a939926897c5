package de.nnkurs.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import ai.djl.training.optimizer.Optimizer;

import de.nnkurs.model.Architecture;
import de.nnkurs.model.FlatParameters;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A step on the flat parameters is the per-parameter update, number for number: the same operations
 * in the same order, on one buffer instead of one array per layer.
 */
class FlatOptimizerTest {

    private static final Architecture NET =
            new Architecture(List.of(16, 8), HiddenActivation.RELU, Variant.SLIDES);

    @ParameterizedTest
    @EnumSource(
            value = OptimizerKind.class,
            names = {"ADAM", "SGD", "MOMENTUM"})
    void fiveFlatStepsGiveBitForBitTheWeightsOfFivePerParameterUpdates(OptimizerKind kind) {
        assertSameWeights(kind, NET);
    }

    @ParameterizedTest
    @EnumSource(
            value = OptimizerKind.class,
            names = {"ADAM", "MOMENTUM"})
    void theLessonsNetworkGivesTheSameWeightsBitForBit(OptimizerKind kind) {
        assertSameWeights(kind, Architecture.lesson(Variant.SLIDES));
    }

    private static void assertSameWeights(OptimizerKind kind, Architecture net) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomUniform(-1, 1, new Shape(32, 784));
            NDArray y =
                    manager.randomInteger(
                            0, 10, new Shape(32), ai.djl.ndarray.types.DataType.INT64);

            Block perParameter = Models.sequential(net);
            Models.initialize(perParameter, manager, 3);
            Optimizer each = kind.create(0.01);
            Block flatBlock = Models.sequential(net);
            Models.initialize(flatBlock, manager, 3);
            FlatParameters flat = FlatParameters.of(flatBlock);
            FlatOptimizer whole = (FlatOptimizer) kind.create(0.01);

            for (int step = 0; step < 5; step++) {
                backward(perParameter, manager, x, y);
                for (Parameter p : perParameter.getParameters().values()) {
                    NDArray w = p.getArray();
                    try (NDArray g = w.getGradient().duplicate()) {
                        each.update(p.getId(), w, g); // and zeroes w's gradient
                    }
                }
                flat.zeroGradients();
                backward(flatBlock, manager, x, y);
                whole.step(flat);
            }
            List<float[]> expected = values(perParameter);
            List<float[]> actual = values(flatBlock);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = OptimizerKind.class,
            names = {"ADAM", "MOMENTUM"})
    void theFlatStateIsSeenPerParameterForCheckpoints(OptimizerKind kind) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Models.sequential(NET);
            Models.initialize(block, manager, 3);
            FlatParameters flat = FlatParameters.of(block);
            Optimizer optimizer = kind.create(0.01);
            backward(
                    block,
                    manager,
                    manager.randomUniform(-1, 1, new Shape(8, 784)),
                    manager.create(new long[] {0, 1, 2, 3, 4, 5, 6, 7}));
            ((FlatOptimizer) optimizer).step(flat);
            ResumableOptimizer resumable = (ResumableOptimizer) optimizer;
            for (Parameter p : block.getParameters().values()) {
                Map<String, NDArray> state = resumable.state(p.getId(), manager);
                assertEquals(1, state.get(StepCounts.NAME).toLongArray()[0]);
                for (String name : resumable.stateNames()) {
                    if (!name.equals(StepCounts.NAME)) {
                        assertEquals(p.getArray().getShape(), state.get(name).getShape(), name);
                    }
                }
            }
        }
    }

    private static void backward(Block block, NDManager manager, NDArray x, NDArray y) {
        try (NDManager step = manager.newSubManager();
                GradientCollector tape = Engine.getInstance().newGradientCollector()) {
            NDList out = block.forward(new ParameterStore(step, false), new NDList(x), true);
            tape.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), out));
        }
    }

    private static List<float[]> values(Block block) {
        List<float[]> values = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            values.add(p.getArray().toFloatArray());
        }
        return values;
    }
}
