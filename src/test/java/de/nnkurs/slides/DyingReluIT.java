package de.nnkurs.slides;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.RealMnist;
import de.nnkurs.training.RunListener;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

/** {@code dying-relu} on the real MNIST with its default provocation (biases start at −3). */
class DyingReluIT {

    @Test
    void reluStaysAllDeadWhileLeakyReluAndAlreluRevive() throws IOException {
        List<DyingReluDemo.Result> results =
                DyingReluDemo.compare(
                        RealMnist.load(),
                        DyingReluDemo.Settings.negativeBiasStart(),
                        activation -> RunListener.NONE,
                        DyingReluDemo.COMPARED);
        DyingReluDemo.Result relu = results.get(0);
        for (int[] count : relu.dead()) {
            assertArrayEquals(new int[] {64, 64}, count, "every ReLU unit, at every count");
        }
        // All dead: the output is the same for every image, so the loss stays at about ln 10.
        assertTrue(relu.meanLoss().get(1) > 2.29, "ReLU loss " + relu.meanLoss());
        for (DyingReluDemo.Result revived : results.subList(1, 3)) {
            assertFalse(revived.diverged());
            int[] last = revived.dead().get(revived.dead().size() - 1);
            assertTrue(
                    last[0] < 64 && last[1] < 64,
                    revived.activation() + ": " + last[0] + "/" + last[1]);
            assertTrue(
                    revived.testAccuracy().get(1) > 0.85,
                    revived.activation() + " test accuracy " + revived.testAccuracy());
        }
    }
}
