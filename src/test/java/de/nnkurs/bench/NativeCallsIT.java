package de.nnkurs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import de.nnkurs.model.Architecture;
import de.nnkurs.model.FlatParameters;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;
import de.nnkurs.training.TorchAdam;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Counting calls into libtorch, in a JVM with the jar as agent (failsafe's argLine), as {@code java
 * -jar} starts it.
 */
class NativeCallsIT {

    @BeforeAll
    static void countFromNowOn() {
        assertTrue(NativeCalls.available(), "failsafe starts the JVM with -javaagent:nnkurs.jar");
        NativeCalls.install();
    }

    @Test
    void anInPlaceAdditionIsOneCall() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.ones(new Shape(3));
            NDArray b = manager.ones(new Shape(3));
            // DJL's PtNDArray.addi → JniUtils.addi → PyTorchLibrary.torchAddi: one native call.
            assertEquals(1, NativeCalls.during(() -> a.addi(b)));
        }
    }

    @Test
    void theFlatAdamStepMakesAsManyCallsForOneHiddenLayerAsForThree() {
        long one = flatStepCalls(List.of(64));
        long three = flatStepCalls(List.of(64, 64, 64));
        assertEquals(one, three, "4 or 8 parameters, one flat buffer");
        assertTrue(three <= 21, "a handful of calls for the whole update: " + three);
    }

    @Test
    void thePerParameterUpdateGrowsWithTheLayers() {
        long one = perParameterCalls(List.of(64));
        long three = perParameterCalls(List.of(64, 64, 64));
        assertTrue(three > one + 50, one + " calls for 4 parameters, " + three + " for 8");
    }

    private static long flatStepCalls(List<Integer> hidden) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = network(hidden, manager);
            FlatParameters flat = FlatParameters.of(block);
            TorchAdam adam = TorchAdam.builder().setLearningRate(0.003).build();
            backward(block, manager);
            adam.step(flat); // the first step adopts the gradients and makes the state
            backward(block, manager);
            return NativeCalls.during(() -> adam.step(flat));
        }
    }

    private static long perParameterCalls(List<Integer> hidden) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = network(hidden, manager);
            TorchAdam adam = TorchAdam.builder().setLearningRate(0.003).build();
            for (int step = 0; step < 2; step++) {
                backward(block, manager);
                long calls =
                        NativeCalls.during(
                                () -> {
                                    for (Parameter p : block.getParameters().values()) {
                                        NDArray w = p.getArray();
                                        try (NDArray g = w.getGradient()) {
                                            adam.update(p.getId(), w, g);
                                        }
                                    }
                                });
                if (step == 1) {
                    return calls;
                }
            }
            throw new AssertionError("unreachable");
        }
    }

    private static Block network(List<Integer> hidden, NDManager manager) {
        Block block =
                Models.sequential(new Architecture(hidden, HiddenActivation.RELU, Variant.SLIDES));
        Models.initialize(block, manager, 1);
        return block;
    }

    private static void backward(Block block, NDManager manager) {
        try (NDManager step = manager.newSubManager();
                GradientCollector tape = Engine.getInstance().newGradientCollector()) {
            NDArray x = step.randomUniform(-1, 1, new Shape(16, 784));
            NDArray y = step.zeros(new Shape(16), ai.djl.ndarray.types.DataType.INT64);
            NDList out = block.forward(new ParameterStore(step, false), new NDList(x), true);
            tape.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), out));
        }
    }
}
