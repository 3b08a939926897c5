package de.nnkurs.training;

import de.nnkurs.run.TrainingRun;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.RealMnist;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.Variant;

import org.junit.jupiter.api.Test;

import java.io.IOException;

/** The hands-on on the real MNIST: two epochs with the lesson's settings. */
class MnistLearningIT {

    private static double twoEpochAccuracy(Variant variant) throws IOException {
        TrainingRun run =
                TrainingRun.lesson()
                        .architecture(Architecture.lesson(variant))
                        .data(RealMnist.load());
        try (TrainedModel trained = run.run(RunListener.NONE)) {
            return trained.testAccuracy();
        }
    }

    @Test
    void slidesModelReachesNinetyPercentInTwoEpochsWithTheDefaultSeed() throws IOException {
        double accuracy = twoEpochAccuracy(Variant.SLIDES);
        assertTrue(accuracy >= 0.90, "test accuracy " + accuracy);
    }

    @Test
    void logitsModelReachesNinetyTwoPercentInTwoEpochsWithTheDefaultSeed() throws IOException {
        double accuracy = twoEpochAccuracy(Variant.LOGITS);
        assertTrue(accuracy >= 0.92, "test accuracy " + accuracy);
    }
}
