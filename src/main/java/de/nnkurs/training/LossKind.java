package de.nnkurs.training;

import ai.djl.training.loss.Loss;

import de.nnkurs.Choice;

/** The losses the loop can minimise, by their command-line names. */
public enum LossKind implements Choice {
    /**
     * {@code nn.CrossEntropyLoss()}: log-softmax of the model output, then the negative
     * log-likelihood of the label, averaged over the batch. The slides' code uses it.
     */
    CROSS_ENTROPY,
    /**
     * The slide's cross-entropy {@code −1/N Σ Σ y·ln ŷ} applied to the model output as it is; it
     * needs probabilities, so it pairs with the final Softmax (no second softmax as above).
     */
    SLIDE_CE,
    /** The slide's {@code MSE = 1/N Σ (y − ŷ)²} between the output and the one-hot label. */
    MSE;

    /** Returns a fresh loss. */
    public Loss create() {
        return switch (this) {
            case CROSS_ENTROPY -> Loss.softmaxCrossEntropyLoss();
            case SLIDE_CE -> SlideLosses.crossEntropy();
            case MSE -> SlideLosses.mse();
        };
    }

    /**
     * Finds a loss by its label.
     *
     * @param label e.g. {@code mse}
     * @return the kind
     * @throws IllegalArgumentException naming the valid labels
     */
    public static LossKind fromLabel(String label) {
        return Choice.parse(LossKind.class, "loss", label);
    }

    /** Returns the label, so that a choice prints as it is typed, e.g. {@code leaky-relu}. */
    @Override
    public String toString() {
        return label();
    }
}
