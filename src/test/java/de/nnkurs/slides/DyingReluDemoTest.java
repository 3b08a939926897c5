package de.nnkurs.slides;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.SlideData;
import de.nnkurs.data.MnistData;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.training.OptimizerKind;
import de.nnkurs.training.RunListener;
import de.nnkurs.training.TrainingSettings;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** With hidden biases starting negative, ReLU units stay dead; Leaky ReLU and ALReLU revive. */
class DyingReluDemoTest {

    /** Hidden biases start at −2; Adam at 0.01 so that 64 steps on 512 images suffice. */
    private static final DyingReluDemo.Settings PROVOKED =
            new DyingReluDemo.Settings(
                    List.of(64, 64),
                    -2f,
                    TrainingSettings.builder()
                            .optEpochs(2)
                            .optBatchSize(16)
                            .optLearningRate(0.01)
                            .optSeed(1)
                            .optOptimizer(OptimizerKind.ADAM)
                            .build());

    private static List<DyingReluDemo.Result> results;

    @BeforeAll
    static void runOnce() throws IOException {
        MnistData data =
                new MnistData(SlideData.stripes(512, 1), SlideData.stripes(100, 2), Map.of());
        results =
                DyingReluDemo.compare(
                        data, PROVOKED, activation -> RunListener.NONE, DyingReluDemo.COMPARED);
    }

    private static DyingReluDemo.Result result(HiddenActivation activation) {
        return results.stream().filter(r -> r.activation() == activation).findFirst().orElseThrow();
    }

    private static int[] last(DyingReluDemo.Result r) {
        return r.dead().get(r.dead().size() - 1);
    }

    @Test
    void theProvocationKillsEveryReluUnitBeforeTheFirstStep() {
        assertArrayEquals(new int[] {64, 64}, result(HiddenActivation.RELU).dead().get(0));
    }

    @Test
    void deadReluUnitsStayDeadForTheWholeTraining() {
        for (int[] perLayer : result(HiddenActivation.RELU).dead()) {
            assertArrayEquals(new int[] {64, 64}, perLayer);
        }
    }

    @Test
    void reluEndsWithMoreDeadUnitsInEveryLayerThanLeakyReluAndAlrelu() {
        int[] relu = last(result(HiddenActivation.RELU));
        for (HiddenActivation other :
                List.of(HiddenActivation.LEAKY_RELU, HiddenActivation.ALRELU)) {
            int[] dead = last(result(other));
            for (int l = 0; l < relu.length; l++) {
                assertTrue(dead[l] < relu[l], other + " layer " + (l + 1) + ": " + dead[l]);
            }
        }
    }

    @Test
    void leakyReluLearnsWhileTheAllDeadReluNetworkCannot() {
        // A ReLU network whose hidden units are all dead outputs the same logits for every image.
        assertTrue(result(HiddenActivation.RELU).meanLoss().get(1) > 2.2f);
        assertTrue(result(HiddenActivation.LEAKY_RELU).meanLoss().get(1) < 1f);
    }

    @Test
    void everyResultHasACountBeforeTrainingAndAfterEachEpoch() {
        for (DyingReluDemo.Result r : results) {
            assertFalse(r.diverged());
            assertEquals(PROVOKED.training().epochs() + 1, r.dead().size());
            assertEquals(PROVOKED.training().epochs(), r.meanLoss().size());
            assertEquals(PROVOKED.training().epochs(), r.testAccuracy().size());
        }
    }

    @Test
    void tableHasOneRowPerActivationWithDeadUnitsPerLayer() {
        DyingReluDemo.Result relu =
                new DyingReluDemo.Result(
                        HiddenActivation.RELU,
                        List.of(new int[] {64, 64}, new int[] {64, 64}),
                        List.of(2.3013),
                        List.of(0.1135),
                        false);
        DyingReluDemo.Result leaky =
                new DyingReluDemo.Result(
                        HiddenActivation.LEAKY_RELU,
                        List.of(new int[] {64, 64}),
                        List.of(Double.NaN),
                        List.of(0.098),
                        true);
        assertEquals(
                String.join(
                        "\n",
                        "activation    start       epoch 1     loss      test accuracy",
                        "relu          64/64       64/64       2.3013    0.1135",
                        "leaky-relu    64/64       diverged    NaN       0.0980",
                        ""),
                DyingReluDemo.table(List.of(relu, leaky)).replace(System.lineSeparator(), "\n"));
    }
}
