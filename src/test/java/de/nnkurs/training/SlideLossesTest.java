package de.nnkurs.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;

import org.junit.jupiter.api.Test;

/** The slides' MSE, BCE and CE against hand computations, and how DJL's built-ins differ. */
class SlideLossesTest {

    private static float eval(Loss loss, NDArray labels, NDArray predictions) {
        return loss.evaluate(new NDList(labels), new NDList(predictions)).getFloat();
    }

    // MSE ------------------------------------------------------------------------------------

    @Test
    void mseIsTheMeanOfTheSquaredErrorsOverAllElements() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray yHat = m.create(new float[][] {{0.2f, 0.8f}, {0.6f, 0.4f}});
            NDArray y = m.create(new float[][] {{0, 1}, {1, 0}});
            // (0.2² + 0.2² + 0.4² + 0.4²) / 4 = 0.4 / 4
            assertEquals(0.1f, eval(SlideLosses.mse(), y, yHat), 1e-7);
        }
    }

    @Test
    void mseComparesClassIndicesAsOneHotRows() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[] {0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f}, new Shape(2, 3));
            NDArray indices = m.create(new long[] {0, 2});
            NDArray oneHot = m.create(new float[] {1, 0, 0, 0, 0, 1}, new Shape(2, 3));
            float expected = (0.09f + 0.04f + 0.01f + 0.01f + 0.01f + 0.04f) / 6;
            assertEquals(expected, eval(SlideLosses.mse(), indices, p), 1e-7);
            assertEquals(
                    eval(SlideLosses.mse(), oneHot, p), eval(SlideLosses.mse(), indices, p), 0f);
        }
    }

    @Test
    void mseIsTwiceDjlsL2LossWhichHalvesTheSquaredError() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray yHat = m.randomUniform(0, 1, new Shape(5, 3));
            NDArray y = m.randomUniform(0, 1, new Shape(5, 3));
            float l2 = eval(Loss.l2Loss(), y, yHat);
            assertEquals(2 * l2, eval(SlideLosses.mse(), y, yHat), 1e-6);
        }
    }

    // BCE ------------------------------------------------------------------------------------

    @Test
    void bceIsTheMeanOverAllElementsNotTheSlidesSum() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray yHat = m.create(new float[] {0.9f, 0.2f, 0.6f, 0.3f});
            NDArray y = m.create(new float[] {1, 0, 1, 0});
            double sum = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.7));
            assertEquals(sum / 4, eval(SlideLosses.bce(), y, yHat), 1e-6);
        }
    }

    @Test
    void bceOfAZeroPredictionForATrueLabelCostsOneHundredWithAZeroGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray yHat = m.create(new float[] {0f, 0.5f});
            yHat.setRequiresGradient(true);
            NDArray y = m.create(new float[] {1, 0});
            float loss;
            try (GradientCollector tape = Engine.getInstance().newGradientCollector()) {
                NDArray l = SlideLosses.bce().evaluate(new NDList(y), new NDList(yHat));
                tape.backward(l);
                loss = l.getFloat();
            }
            assertEquals((100 + Math.log(2)) / 2, loss, 1e-5);
            // Floored: ∂/∂ŷ = 0, not NaN. Unfloored: −(1 − y)/(1 − ŷ)·(−1)/N = 1/(0.5·2) = 1.
            assertArrayEquals(new float[] {0f, 1f}, yHat.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void djlsBceFromSigmoidLacksTheMinusSoItIsTheNegativeOfSlideBce() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray yHat = m.create(new float[] {0.9f, 0.2f, 0.6f, 0.3f});
            NDArray y = m.create(new float[] {1, 0, 1, 0});
            Loss djl = Loss.sigmoidBinaryCrossEntropyLoss("djl", 1, true);
            assertEquals(-eval(SlideLosses.bce(), y, yHat), eval(djl, y, yHat), 1e-6);
        }
    }

    @Test
    void djlsBceFromSigmoidFloorsTheLogAtLnOfOneEMinusTwelveInsteadOfMinusOneHundred() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray yHat = m.create(new float[] {0f});
            NDArray y = m.create(new float[] {1});
            Loss djl = Loss.sigmoidBinaryCrossEntropyLoss("djl", 1, true);
            assertEquals(Math.log(1e-12), eval(djl, y, yHat), 1e-5); // −27.63
            assertEquals(100f, eval(SlideLosses.bce(), y, yHat), 1e-5);
        }
    }

    @Test
    void djlsBceFromLogitsEqualsSlideBceOfTheirSigmoid() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[][] {{2.2f, -1.4f}, {0.4f, -0.8f}, {3f, 0.1f}});
            NDArray y = m.create(new float[][] {{1, 0}, {1, 1}, {0, 1}});
            Loss djl = Loss.sigmoidBinaryCrossEntropyLoss();
            assertEquals(
                    eval(SlideLosses.bce(), y, z.getNDArrayInternal().sigmoid()),
                    eval(djl, y, z),
                    1e-6);
        }
    }

    // CE -------------------------------------------------------------------------------------

    private static NDArray probabilities(NDManager m) {
        return m.create(new float[][] {{0.7f, 0.2f, 0.1f}, {0.1f, 0.5f, 0.4f}});
    }

    @Test
    void crossEntropyWithClassIndicesSumsOverClassesAndAveragesOverTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(new long[] {0, 2});
            double expected = -(Math.log(0.7) + Math.log(0.4)) / 2;
            Loss ce = SlideLosses.crossEntropy();
            assertEquals(expected, eval(ce, labels, probabilities(m)), 1e-6);
        }
    }

    @Test
    void crossEntropyWithOneHotLabelsEqualsCrossEntropyWithClassIndices() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray oneHot = m.create(new float[][] {{1, 0, 0}, {0, 0, 1}});
            NDArray indices = m.create(new long[] {0, 2});
            Loss ce = SlideLosses.crossEntropy();
            assertEquals(eval(ce, indices, probabilities(m)), eval(ce, oneHot, probabilities(m)));
        }
    }

    @Test
    void crossEntropyWithSoftLabelsWeighsEveryClass() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray soft = m.create(new float[][] {{0.5f, 0.5f, 0}, {0, 0.25f, 0.75f}});
            double expected =
                    -(0.5 * Math.log(0.7)
                                    + 0.5 * Math.log(0.2)
                                    + 0.25 * Math.log(0.5)
                                    + 0.75 * Math.log(0.4))
                            / 2;
            assertEquals(expected, eval(SlideLosses.crossEntropy(), soft, probabilities(m)), 1e-6);
        }
    }

    @Test
    void djlsCrossEntropyWithoutLogitsTakesItsInputAsLogProbabilities() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(new long[] {0, 2});
            Loss djl = Loss.softmaxCrossEntropyLoss("djl", 1, -1, true, false);
            // Given probabilities it returns −mean(ŷ of the label) = −(0.7 + 0.4) / 2 …
            assertEquals(-0.55f, eval(djl, labels, probabilities(m)), 1e-6);
            // … given ln ŷ it is the slides' CE.
            assertEquals(
                    eval(SlideLosses.crossEntropy(), labels, probabilities(m)),
                    eval(djl, labels, probabilities(m).log()),
                    1e-6);
        }
    }

    @Test
    void djlsCrossEntropyWithOneHotLabelsAlsoAveragesOverTheBatchOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray oneHot = m.create(new float[][] {{1, 0, 0}, {0, 0, 1}});
            Loss djl = Loss.softmaxCrossEntropyLoss("djl", 1, -1, false, false);
            double expected = -(Math.log(0.7) + Math.log(0.4)) / 2; // ÷ 2 examples, not ÷ 6
            assertEquals(expected, eval(djl, oneHot, probabilities(m).log()), 1e-6);
        }
    }

    @Test
    void djlsDefaultCrossEntropyOnLogitsIsSlideCrossEntropyOfTheirSoftmax() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[][] {{2f, -1f, 0.5f}, {0.3f, 0.3f, 1.7f}});
            NDArray labels = m.create(new long[] {0, 1});
            assertEquals(
                    eval(SlideLosses.crossEntropy(), labels, z.softmax(1)),
                    eval(Loss.softmaxCrossEntropyLoss(), labels, z),
                    1e-6);
        }
    }

    @Test
    void theLessonsLossOnSoftmaxOutputsIsSlideCrossEntropyOfASecondSoftmax() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(new long[] {0, 2});
            // nn.CrossEntropyLoss after the model's Softmax: log_softmax(ŷ), not ln ŷ.
            assertEquals(
                    eval(SlideLosses.crossEntropy(), labels, probabilities(m).softmax(1)),
                    eval(Loss.softmaxCrossEntropyLoss(), labels, probabilities(m)),
                    1e-6);
        }
    }
}
