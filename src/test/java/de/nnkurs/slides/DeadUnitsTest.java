package de.nnkurs.slides;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;

import de.nnkurs.Lesson;
import de.nnkurs.SlideData;
import de.nnkurs.data.DataLoader;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;

import org.junit.jupiter.api.Test;

import java.util.List;

/** A unit is dead when its pre-activation is ≤ 0 for every example; dead ReLUs get no gradient. */
class DeadUnitsTest {

    /**
     * Returns 2 → 3 → 2 with hand-set weights. On the inputs (1, 0) and (0, 1) the hidden
     * pre-activations are unit 0: 1 and 2 (alive), unit 1: −1 and 0 (dead: never above 0), unit 2:
     * −1 and 1 (alive for the second input).
     */
    private static SequentialBlock handSet(NDManager manager, HiddenActivation activation) {
        Linear hidden = Linear.builder().setUnits(3).build();
        Linear output = Linear.builder().setUnits(2).build();
        SequentialBlock net = new SequentialBlock().add(hidden).add(activation.block()).add(output);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        // An indexed set, not copyTo: copyTo makes libtorch print a deprecation warning.
        hidden.getParameters()
                .get("weight")
                .getArray()
                .set(new NDIndex("..."), manager.create(new float[][] {{1, 2}, {-1, 0}, {-1, 1}}));
        hidden.getParameters().get("bias").getArray().set(new NDIndex("..."), 0f);
        return net;
    }

    private static NDArray twoInputs(NDManager manager) {
        return manager.create(new float[][] {{1, 0}, {0, 1}});
    }

    @Test
    void countsHiddenUnitsWhosePreActivationIsAtMostZeroForEveryExample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = handSet(manager, HiddenActivation.RELU);
            ParameterStore ps = new ParameterStore(manager, false);
            boolean[][] dead = DeadUnits.deadMask(net, ps, twoInputs(manager));
            assertEquals(1, dead.length, "one hidden layer; the output layer is not counted");
            assertArrayEquals(new boolean[] {false, true, false}, dead[0]);
            assertArrayEquals(new int[] {1}, DeadUnits.count(net, ps, twoInputs(manager)));
        }
    }

    @Test
    void deadIsDefinedOnThePreActivationSoLeakyReluCountsTheSameUnits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = handSet(manager, HiddenActivation.LEAKY_RELU);
            ParameterStore ps = new ParameterStore(manager, false);
            assertArrayEquals(
                    new boolean[] {false, true, false},
                    DeadUnits.deadMask(net, ps, twoInputs(manager))[0]);
        }
    }

    @Test
    void aNanPreActivationIsReportedAsADivergedTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = handSet(manager, HiddenActivation.RELU);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray nan = manager.create(new float[][] {{Float.NaN, 0}});
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> DeadUnits.count(net, ps, nan));
            assertEquals(
                    "hidden layer 1, unit 0: pre-activation is NaN, the training has diverged",
                    e.getMessage());
        }
    }

    @Test
    void countOverASplitInChunksEqualsTheCountOverAllExamplesAtOnce() {
        MnistSplit split = SlideData.stripes(2500, 1); // three chunks of up to 1000
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = network(HiddenActivation.RELU, List.of(64, 64), manager);
            ParameterStore ps = new ParameterStore(manager, false);
            int[] chunked = DeadUnits.count(net, ps, manager, split);
            DataLoader all = new DataLoader(manager, split, split.count(), false, null);
            try (Batch batch = all.iterator().next()) {
                int[] atOnce = DeadUnits.count(net, ps, batch.getData().head());
                assertArrayEquals(atOnce, chunked);
                assertNotEquals(0, atOnce[0] + atOnce[1], "some units should be dead at −0.5");
            }
        }
    }

    /** Returns 784-hidden-10 (logits), seed 4, with every hidden bias at −0.5. */
    private static SequentialBlock network(
            HiddenActivation activation, List<Integer> hidden, NDManager manager) {
        SequentialBlock net =
                Models.sequential(new Architecture(hidden, activation, Variant.LOGITS));
        Models.initialize(net, manager, 4);
        DyingReluDemo.startHiddenBiasesAt(net, -0.5f);
        return net;
    }

    /** Returns the gradients of W₁ and b₁ after one backward of a batch's loss. */
    private static float[][] firstLayerGradients(
            HiddenActivation activation, NDManager manager, boolean[][] deadOut) {
        // One hidden layer, so that no dead layer above hides the first layer's gradient.
        SequentialBlock net = network(activation, List.of(64), manager);
        ParameterStore ps = new ParameterStore(manager, false);
        DataLoader loader = new DataLoader(manager, SlideData.stripes(200, 2), 200, false, null);
        try (Batch batch = loader.iterator().next()) {
            NDArray images = batch.getData().head();
            NDArray x = images.reshape(images.getShape().get(0), -1);
            System.arraycopy(DeadUnits.deadMask(net, ps, x), 0, deadOut, 0, deadOut.length);
            try (GradientCollector tape = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(ps, new NDList(x), true).singletonOrThrow();
                NDArray loss =
                        Loss.softmaxCrossEntropyLoss()
                                .evaluate(batch.getLabels(), new NDList(logits));
                tape.backward(loss);
            }
        }
        Linear first = (Linear) net.getChildren().get(0).getValue();
        return new float[][] {
            first.getParameters().get("weight").getArray().getGradient().toFloatArray(),
            first.getParameters().get("bias").getArray().getGradient().toFloatArray()
        };
    }

    @Test
    void deadReluUnitsGetExactlyZeroGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            boolean[][] dead = new boolean[1][];
            float[][] g = firstLayerGradients(HiddenActivation.RELU, manager, dead);
            int checked = 0;
            int aliveWithGradient = 0;
            for (int u = 0; u < dead[0].length; u++) {
                if (dead[0][u]) {
                    checked++;
                    assertEquals(0f, g[1][u], "∂Loss/∂b₁ of dead unit " + u);
                    for (int i = 0; i < Lesson.INPUT; i++) {
                        assertEquals(0f, g[0][u * Lesson.INPUT + i], "∂Loss/∂W₁ of unit " + u);
                    }
                } else if (g[1][u] != 0) {
                    aliveWithGradient++;
                }
            }
            assertTrue(checked > 0, "the provocation should leave dead units to check");
            assertTrue(aliveWithGradient > 0, "living units of the same layer do learn");
        }
    }

    @Test
    void leakyReluUnitsWithTheSamePreActivationsStillGetGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            boolean[][] dead = new boolean[1][];
            float[][] g = firstLayerGradients(HiddenActivation.LEAKY_RELU, manager, dead);
            int checked = 0;
            for (int u = 0; u < dead[0].length; u++) {
                if (dead[0][u]) {
                    checked++;
                    assertNotEquals(0f, g[1][u], "∂Loss/∂b₁ of 'dead' unit " + u);
                }
            }
            assertTrue(checked > 0, "the provocation should leave dead units to check");
        }
    }
}
