package de.nnkurs.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The slides' loss functions as DJL {@link Loss}es, for {@code new DefaultTrainingConfig(loss)}.
 *
 * <p>All three average, like PyTorch's default {@code reduction='mean'}: the slides write BCE as a
 * plain −Σ, which is N times the mean and only rescales the gradient (equivalently, the learning
 * rate); averaging keeps the loss, and so a good learning rate, independent of the batch size.
 *
 * <p>How DJL's built-ins relate, as read in DJL 0.36.0 and asserted in the tests:
 *
 * <ul>
 *   <li>{@code L2Loss} is {@code mean(½(y − ŷ)²)}, so {@link #mse()} is exactly twice it.
 *   <li>{@code SigmoidBinaryCrossEntropyLoss} with {@code fromSigmoid=true} computes {@code
 *       mean(y·ln(ŷ + 1e-12) + (1 − y)·ln(1 − ŷ + 1e-12))} without the leading minus: it is the
 *       negative of {@link #bce()}, and minimising it would maximise the BCE. Its log floor is ln
 *       1e-12 ≈ −27.6 where this one's is −100; apart from the sign the two agree for ŷ and 1 − ŷ
 *       above about 1e-10. With {@code fromSigmoid=false} it takes logits and equals {@link #bce()}
 *       of their sigmoid.
 *   <li>{@code SoftmaxCrossEntropyLoss} sums over the classes and averages over the batch, as
 *       {@link #crossEntropy()} does; with {@code fromLogit=false} it expects log-probabilities,
 *       not probabilities, so it equals {@link #crossEntropy()} only when given {@code ln ŷ}.
 * </ul>
 */
public final class SlideLosses {

    /**
     * The floor of every logarithm, PyTorch's {@code nn.BCELoss} clamp: a prediction of exactly 0
     * for a true class costs 100, not infinity.
     */
    public static final float LOG_FLOOR = -100f;

    private SlideLosses() {}

    /**
     * Returns the mean squared error {@code 1/N Σ (y − ŷ)²} over all N elements; class indices (N)
     * are compared as one-hot rows against predictions (N, K).
     */
    public static Loss mse() {
        return new Mse();
    }

    /**
     * Returns the binary cross-entropy {@code −1/N Σ [y·ln ŷ + (1 − y)·ln(1 − ŷ)]} over all N
     * elements, on probabilities ŷ.
     */
    public static Loss bce() {
        return new Bce();
    }

    /**
     * Returns the cross-entropy {@code −1/N Σ_n Σ_k y_nk·ln ŷ_nk} over a batch of N, on
     * probabilities ŷ of shape (N, K) and one-hot labels (N, K) or class indices (N).
     */
    public static Loss crossEntropy() {
        return new CrossEntropy();
    }

    /**
     * Returns {@code max(ln p, −100)}; where the floor applies, the gradient is 0, not NaN.
     *
     * <p>Clamping p to the smallest positive float first keeps autograd from computing 0/0 behind
     * the floor; for every p ≥ e^−100 the value is exactly {@code ln p}. (PyTorch's BCELoss gives a
     * large finite gradient there instead, by clamping the denominator ŷ(1 − ŷ) at 1e-12.)
     */
    static NDArray flooredLog(NDArray p) {
        return p.maximum(Float.MIN_VALUE).log().maximum(LOG_FLOOR);
    }

    private static NDArray labelsLike(NDList labels, NDArray prediction) {
        NDArray y = labels.singletonOrThrow();
        if (y.getShape().dimension() == 1
                && prediction.getShape().dimension() == 2
                && prediction.getShape().get(1) > 1) {
            y = y.oneHot((int) prediction.getShape().get(1)); // class indices → one-hot rows
        }
        return y.toType(prediction.getDataType(), false).reshape(prediction.getShape());
    }

    /** {@code 1/N Σ (y − ŷ)²}. */
    private static final class Mse extends Loss {

        Mse() {
            super("MSE");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray prediction = predictions.singletonOrThrow();
            return labelsLike(labels, prediction).sub(prediction).square().mean();
        }
    }

    /** {@code −1/N Σ [y·ln ŷ + (1 − y)·ln(1 − ŷ)]}. */
    private static final class Bce extends Loss {

        Bce() {
            super("BCE");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray p = predictions.singletonOrThrow();
            NDArray y = labelsLike(labels, p);
            NDArray positive = y.mul(flooredLog(p));
            NDArray negative = y.neg().add(1).mul(flooredLog(p.neg().add(1)));
            return positive.add(negative).mean().neg();
        }
    }

    /** {@code −1/N Σ_n Σ_k y_nk·ln ŷ_nk}. */
    private static final class CrossEntropy extends Loss {

        CrossEntropy() {
            super("CrossEntropy");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray p = predictions.singletonOrThrow();
            NDArray y = labels.singletonOrThrow();
            long n = p.getShape().get(0);
            if (y.getShape().dimension() == 1) {
                y = y.oneHot((int) p.getShape().get(1)); // class indices → one-hot rows
            }
            y = y.toType(p.getDataType(), false).reshape(p.getShape());
            return y.mul(flooredLog(p)).sum().div(n).neg();
        }
    }
}
