package de.nnkurs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;

import com.google.gson.JsonObject;

import de.nnkurs.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * Each activation and its autograd derivative against PyTorch's, and against the slide's formula.
 */
class HiddenActivationTest {

    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_LAMBDA = 1.0507009873554804934193349852946;

    /**
     * PyTorch's values and autograd derivatives of each activation on −3 … 3 in steps of 0.25
     * (derivatives without 0), by {@code torch.nn.functional} ({@code F.prelu} with 0.25, {@code
     * F.rrelu} in inference; ALReLU, which PyTorch lacks, as the slide's formula in torch): {@code
     * activations.json} from {@code scripts/make_fixtures.py}, torch 1.13.1.
     */
    private static final JsonObject PYTORCH = Fixtures.json("activations.json");

    private static JsonObject pytorch(HiddenActivation a) {
        return PYTORCH.getAsJsonObject(a.label());
    }

    /** −3 … 3 in steps of 0.25, including 0. */
    private static final float[] GRID = grid(true);

    /** The same grid without 0, where several derivatives are not defined. */
    private static final float[] GRID_WITHOUT_ZERO = grid(false);

    private static float[] grid(boolean withZero) {
        float[] xs = new float[withZero ? 25 : 24];
        int k = 0;
        for (int i = -12; i <= 12; i++) {
            if (i != 0 || withZero) {
                xs[k++] = i * 0.25f;
            }
        }
        return xs;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    private static double density(double x) {
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    /** Φ(x) = ½ + ∫₀ˣ φ by Simpson's rule on 2000 intervals: far below float precision. */
    private static double gaussianCdf(double x) {
        int n = 2000;
        double h = x / n;
        double sum = density(0) + density(x);
        for (int i = 1; i < n; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * density(i * h);
        }
        return 0.5 + sum * h / 3;
    }

    private static DoubleUnaryOperator definition(HiddenActivation a) {
        return switch (a) {
            case SIGMOID -> HiddenActivationTest::sigmoid;
            case TANH -> Math::tanh;
            case RELU -> x -> Math.max(0, x);
            case LEAKY_RELU -> x -> x >= 0 ? x : 0.01 * x;
            case ALRELU -> x -> x > 0 ? x : Math.abs(0.01 * x);
            case PRELU -> x -> x >= 0 ? x : 0.25 * x;
            case RRELU -> x -> x >= 0 ? x : (1.0 / 8 + 1.0 / 3) / 2 * x;
            case ELU -> x -> x > 0 ? x : Math.exp(x) - 1;
            case SELU -> x -> SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1));
            case GELU -> x -> x * gaussianCdf(x);
            case SWISH -> x -> x * sigmoid(x);
            case MISH -> x -> x * Math.tanh(softplus(x));
            case RELU6 -> x -> Math.min(6, Math.max(0, x));
        };
    }

    private static void assertClose(double expected, float actual, String what) {
        assertEquals(expected, actual, 2e-6 * Math.max(1, Math.abs(expected)), what);
    }

    /** Returns the derivative of {@code a.apply} at each of {@code xs}, by DJL's autograd. */
    private static float[] gradient(HiddenActivation a, float[] xs) {
        return gradient(a::apply, xs);
    }

    private static float[] gradient(UnaryOperator<NDArray> f, float[] xs) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(xs);
            x.setRequiresGradient(true);
            try (GradientCollector tape = Engine.getInstance().newGradientCollector()) {
                tape.backward(f.apply(x).sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void applyMatchesTheDefinitionOnAGridIncludingZero(HiddenActivation a) {
        DoubleUnaryOperator f = definition(a);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] y = a.apply(manager.create(GRID)).toFloatArray();
            for (int i = 0; i < GRID.length; i++) {
                assertClose(f.applyAsDouble(GRID[i]), y[i], a + " at " + GRID[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void applyGivesTorchFunctionalsValuesOnTheGrid(HiddenActivation a) {
        float[] x = Fixtures.floats(PYTORCH.getAsJsonArray("x"));
        float[] expected = Fixtures.floats(pytorch(a).getAsJsonArray("values"));
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] y = a.apply(manager.create(x)).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertClose(expected[i], y[i], a + " at " + x[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void derivativeIsTorchAutogradsOnTheGridWithoutZero(HiddenActivation a) {
        float[] x = Fixtures.floats(PYTORCH.getAsJsonArray("x_without_zero"));
        float[] expected = Fixtures.floats(pytorch(a).getAsJsonArray("derivatives"));
        float[] g = gradient(a, x);
        for (int i = 0; i < x.length; i++) {
            assertClose(expected[i], g[i], a + "'(" + x[i] + ")");
        }
    }

    @ParameterizedTest
    @EnumSource(HiddenActivation.class)
    void blockInInferenceGivesTheSameValuesAsApply(HiddenActivation a) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(GRID).reshape(5, 5);
            Block block = a.block();
            block.initialize(manager, DataType.FLOAT32, x.getShape());
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray fromBlock = block.forward(ps, new NDList(x), false).singletonOrThrow();
            assertEquals(a.apply(x), fromBlock, a.toString());
        }
    }

    @Test
    void sigmoidDerivativeIsSigmoidTimesOneMinusSigmoid() {
        float[] g = gradient(HiddenActivation.SIGMOID, GRID);
        for (int i = 0; i < GRID.length; i++) {
            double s = sigmoid(GRID[i]);
            assertClose(s * (1 - s), g[i], "σ'(" + GRID[i] + ")");
        }
    }

    @Test
    void tanhDerivativeIsOneMinusTanhSquared() {
        float[] g = gradient(HiddenActivation.TANH, GRID);
        for (int i = 0; i < GRID.length; i++) {
            double t = Math.tanh(GRID[i]);
            assertClose(1 - t * t, g[i], "tanh'(" + GRID[i] + ")");
        }
    }

    @Test
    void reluDerivativeIsZeroForNegativeAndOneForPositiveInputs() {
        float[] g = gradient(HiddenActivation.RELU, GRID_WITHOUT_ZERO);
        for (int i = 0; i < GRID_WITHOUT_ZERO.length; i++) {
            float x = GRID_WITHOUT_ZERO[i];
            assertEquals(x < 0 ? 0f : 1f, g[i], "ReLU'(" + x + ")");
        }
    }

    @Test
    void leakyReluDerivativeIsAlphaForNegativeAndOneForPositiveInputs() {
        float[] g = gradient(HiddenActivation.LEAKY_RELU, GRID_WITHOUT_ZERO);
        for (int i = 0; i < GRID_WITHOUT_ZERO.length; i++) {
            // PyTorch's nn.LeakyReLU() default negative_slope 0.01.
            float expected = GRID_WITHOUT_ZERO[i] < 0 ? 0.01f : 1f;
            assertEquals(expected, g[i], "LeakyReLU'(" + GRID_WITHOUT_ZERO[i] + ")");
        }
    }

    @Test
    void alreluDerivativeIsMinusAlphaForNegativeAndOneForPositiveInputs() {
        float[] g = gradient(HiddenActivation.ALRELU, GRID_WITHOUT_ZERO);
        for (int i = 0; i < GRID_WITHOUT_ZERO.length; i++) {
            // d/dx |0.01·x| = −0.01 for x < 0 (the slide's α = 0.01).
            float expected = GRID_WITHOUT_ZERO[i] < 0 ? -0.01f : 1f;
            assertEquals(expected, g[i], 1e-7, "ALReLU'(" + GRID_WITHOUT_ZERO[i] + ")");
        }
    }

    @Test
    void eluDerivativeIsExpForNegativeAndOneForPositiveInputs() {
        // d/dx α·(e^x − 1) = α·e^x with PyTorch's α = 1.
        float[] g = gradient(HiddenActivation.ELU, GRID_WITHOUT_ZERO);
        for (int i = 0; i < GRID_WITHOUT_ZERO.length; i++) {
            double x = GRID_WITHOUT_ZERO[i];
            assertClose(x < 0 ? Math.exp(x) : 1, g[i], "ELU'(" + x + ")");
        }
    }

    @Test
    void seluDerivativeIsLambdaAlphaExpForNegativeAndLambdaForPositiveInputs() {
        // d/dx λ·α·(e^x − 1) = λ·α·e^x; d/dx λ·x = λ.
        float[] g = gradient(HiddenActivation.SELU, GRID_WITHOUT_ZERO);
        for (int i = 0; i < GRID_WITHOUT_ZERO.length; i++) {
            double x = GRID_WITHOUT_ZERO[i];
            double expected = x < 0 ? SELU_LAMBDA * SELU_ALPHA * Math.exp(x) : SELU_LAMBDA;
            assertClose(expected, g[i], "SELU'(" + x + ")");
        }
    }

    @Test
    void geluDerivativeIsCdfPlusXTimesDensity() {
        float[] g = gradient(HiddenActivation.GELU, GRID);
        for (int i = 0; i < GRID.length; i++) {
            double x = GRID[i];
            assertClose(gaussianCdf(x) + x * density(x), g[i], "GELU'(" + x + ")");
        }
    }

    @Test
    void geluIsTheExactErfFormNotTheTanhApproximation() {
        // The two forms differ most, by 4.7e-4, near x = 2.7.
        double x = 2.75;
        double tanhForm =
                0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        try (NDManager manager = NDManager.newBaseManager()) {
            float y = HiddenActivation.GELU.apply(manager.create((float) x)).getFloat();
            assertClose(x * gaussianCdf(x), y, "exact GELU");
            assertTrue(Math.abs(y - tanhForm) > 4e-4, "differs from the tanh approximation");
        }
    }

    @Test
    void swishDerivativeIsSigmoidPlusXTimesSigmoidDerivative() {
        float[] g = gradient(HiddenActivation.SWISH, GRID);
        for (int i = 0; i < GRID.length; i++) {
            double x = GRID[i];
            double s = sigmoid(x);
            assertClose(s + x * s * (1 - s), g[i], "Swish'(" + x + ")");
        }
    }

    @Test
    void mishDerivativeIsTanhSoftplusPlusXTimesSechSquaredTimesSigmoid() {
        float[] g = gradient(HiddenActivation.MISH, GRID);
        for (int i = 0; i < GRID.length; i++) {
            double x = GRID[i];
            double t = Math.tanh(softplus(x));
            assertClose(t + x * (1 - t * t) * sigmoid(x), g[i], "Mish'(" + x + ")");
        }
    }

    @Test
    void djlsOwnMishTakesLog2WhichIsWhyMishIsWrittenHere() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray one = manager.create(1f);
            double mish = Math.tanh(softplus(1));
            assertClose(mish, HiddenActivation.MISH.apply(one).getFloat(), "Mish(1)");
            double log2Form = Math.tanh(Math.log(1 + Math.E) / Math.log(2));
            assertClose(log2Form, Activation.mish(one).getFloat(), "DJL's mish(1)");
        }
    }

    @Test
    void relu6DerivativeIsOneBetweenZeroAndSixAndZeroOutside() {
        float[] xs = {-2f, -0.5f, 0.5f, 3f, 5.5f, 6.5f, 9f};
        float[] g = gradient(HiddenActivation.RELU6, xs);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(xs[i] > 0 && xs[i] < 6 ? 1f : 0f, g[i], "ReLU6'(" + xs[i] + ")");
        }
    }

    @Test
    void preluBlockLearnsAlphaWhoseGradientIsTheSumOfTheNegativeInputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PRelu block = new PRelu();
            block.initialize(manager, DataType.FLOAT32, new Shape(GRID_WITHOUT_ZERO.length));
            NDArray x = manager.create(GRID_WITHOUT_ZERO);
            x.setRequiresGradient(true);
            ParameterStore ps = new ParameterStore(manager, false);
            try (GradientCollector tape = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(ps, new NDList(x), true).singletonOrThrow();
                tape.backward(y.sum());
            }
            float[] g = x.getGradient().toFloatArray();
            for (int i = 0; i < GRID_WITHOUT_ZERO.length; i++) {
                assertEquals(GRID_WITHOUT_ZERO[i] < 0 ? 0.25f : 1f, g[i], "∂y/∂x at " + i);
            }
            // ∂Σy/∂α = Σ min(0, x) = −0.25 · (1 + … + 12) = −19.5
            assertEquals(-19.5f, block.getAlpha().getGradient().getFloat(), 1e-5);
        }
    }

    @Test
    void djlsPreluBlockCannotBeInitialisedWithItsDefaultXavierInitializer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block djl = Activation.preluBlock();
            assertThrows(
                    IllegalArgumentException.class,
                    () -> djl.initialize(manager, DataType.FLOAT32, new Shape(3)));
        }
    }

    @Test
    void djlsPreluBlockIsNotImplementedOnThePyTorchEngine() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block djl = Activation.preluBlock();
            djl.setInitializer(new ConstantInitializer(0.25f), Parameter.Type.WEIGHT);
            djl.initialize(manager, DataType.FLOAT32, new Shape(3));
            NDList x = new NDList(manager.create(new float[] {-1, 0, 1}));
            ParameterStore ps = new ParameterStore(manager, false);
            assertThrows(UnsupportedOperationException.class, () -> djl.forward(ps, x, false));
        }
    }

    @Test
    void rreluInTrainingDrawsSlopesUniformlyBetweenOneEighthAndOneThird() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.full(new Shape(100_000), -1f);
            float[] slopes = RRelu.rrelu(x, true).neg().toFloatArray();
            double sum = 0;
            Set<Float> distinct = new HashSet<>();
            for (float a : slopes) {
                // PyTorch's nn.RReLU() defaults: lower = 1/8, upper = 1/3.
                assertTrue(a >= 1f / 8 && a <= 1f / 3, "slope " + a);
                sum += a;
                distinct.add(a);
            }
            // The mean of U(1/8, 1/3) is 11/48; its standard error here is 1.9e-4.
            assertEquals(11.0 / 48, sum / slopes.length, 1e-3);
            assertTrue(distinct.size() > 1000, "one slope per element");
        }
    }

    @Test
    void rreluInTrainingHasDerivativeOneForPositiveInputsAndOneRandomSlopePerNegativeInput() {
        // PyTorch's nn.RReLU() in training: y = a·x with a ~ U(1/8, 1/3) drawn per element for
        // x < 0, so dy/dx = a; y = x for x ≥ 0, so dy/dx = 1. The mean of U(1/8, 1/3) is 11/48
        // and its standard deviation (1/3 − 1/8)/√12 = 0.060, so the mean of 100,000 slopes is
        // within 1.9e-4 (one standard error) of 11/48 and 1e-3 is over five standard errors.
        Engine.getInstance().setRandomSeed(7);
        int negatives = 100_000;
        float[] xs = new float[negatives + 12];
        Arrays.fill(xs, 0, negatives, -1.5f);
        for (int i = 1; i <= 12; i++) {
            xs[negatives + i - 1] = i * 0.25f;
        }
        float[] g = gradient(x -> RRelu.rrelu(x, true), xs);
        double sum = 0;
        Set<Float> distinct = new HashSet<>();
        for (int i = 0; i < negatives; i++) {
            assertTrue(g[i] >= 1f / 8 && g[i] <= 1f / 3, "RReLU'(-1.5) = " + g[i]);
            sum += g[i];
            distinct.add(g[i]);
        }
        assertEquals(11.0 / 48, sum / negatives, 1e-3);
        assertTrue(distinct.size() > 1000, "one slope per element");
        for (int i = negatives; i < xs.length; i++) {
            assertEquals(1f, g[i], "RReLU'(" + xs[i] + ")");
        }
    }

    @Test
    void rreluBlockInInferenceUsesTheMeanSlope() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList x = new NDList(manager.create(new float[] {-4.8f, 2f}));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray y = new RRelu().forward(ps, x, false).singletonOrThrow();
            assertEquals(manager.create(new float[] {-4.8f * 11 / 48, 2f}), y);
        }
    }

    @Test
    void fromLabelFindsEveryActivationByItsLabel() {
        for (HiddenActivation a : HiddenActivation.values()) {
            assertSame(a, HiddenActivation.fromLabel(a.label()));
        }
        assertSame(HiddenActivation.LEAKY_RELU, HiddenActivation.fromLabel("Leaky-ReLU"));
    }

    @Test
    void fromLabelRejectsAnUnknownNameWithOneLineListingTheValidLabels() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> HiddenActivation.fromLabel("softmax"));
        assertEquals(
                "unknown activation 'softmax', choose one of sigmoid, tanh, relu, leaky-relu,"
                        + " alrelu, prelu, rrelu, elu, selu, gelu, swish, mish, relu6",
                e.getMessage());
    }
}
