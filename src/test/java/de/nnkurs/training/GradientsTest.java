package de.nnkurs.training;

import de.nnkurs.Steps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

/** Why a Java optimizer must zero gradients itself: DJL accumulates them, like PyTorch. */
class GradientsTest {

    @Test
    void eachBackwardAddsToTheGradientBecauseTheCollectorNeverZeroesIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = Steps.weight(manager);
            Steps.backward(w);
            Steps.backward(w);
            // 2 · c ⊙ w = 2 · (0.5, −2, 6)
            assertArrayEquals(new float[] {1f, -4f, 12f}, w.getGradient().toFloatArray());
        }
    }

    @Test
    void getGradientIsAViewSoZeroingItInPlaceZeroesTheWeightsGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = Steps.weight(manager);
            Steps.backward(w);
            try (NDArray handle = w.getGradient()) {
                handle.subi(handle);
            }
            assertArrayEquals(new float[3], w.getGradient().toFloatArray());
        }
    }

    @Test
    void zeroLeavesTheNextBackwardWithOnlyItsOwnGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = Steps.weight(manager);
            Steps.backward(w);
            Gradients.zero(w);
            Steps.backward(w);
            assertArrayEquals(new float[] {0.5f, -2f, 6f}, w.getGradient().toFloatArray());
        }
    }
}
