package de.nnkurs.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;

import de.nnkurs.RealMnist;
import de.nnkurs.data.Mnist;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;

import org.junit.jupiter.api.Test;

import java.io.IOException;

/** The hands-on on the real MNIST: two epochs with the lesson's settings. */
class MnistLearningTest {

    private static double twoEpochAccuracy(Variant variant) throws IOException {
        Mnist mnist = RealMnist.load();
        try (Model model = Model.newInstance("mnist")) {
            model.setBlock(Models.sequential(variant));
            return TrainingLoop.train(
                            model, mnist, TrainingSettings.lesson(), new TrainingListener() {})
                    .finalAccuracy();
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
