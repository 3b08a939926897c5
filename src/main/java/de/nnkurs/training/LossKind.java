package de.nnkurs.training;

import ai.djl.training.loss.Loss;

import de.nnkurs.training.SlideLosses;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The losses the loop can minimise, by their command-line names. */
public enum LossKind {
    /**
     * {@code nn.CrossEntropyLoss()}: log-softmax of the model output, then the negative
     * log-likelihood of the label, averaged over the batch. The slides' code uses it.
     */
    CROSS_ENTROPY("cross-entropy"),
    /**
     * The slide's cross-entropy {@code −1/N Σ Σ y·ln ŷ} applied to the model output as it is; it
     * needs probabilities, so it pairs with the final Softmax (no second softmax as above).
     */
    SLIDE_CE("slide-ce"),
    /** The slide's {@code MSE = 1/N Σ (y − ŷ)²} between the output and the one-hot label. */
    MSE("mse");

    private final String label;

    LossKind(String label) {
        this.label = label;
    }

    /** Returns the command-line name. */
    public String label() {
        return label;
    }

    /** Returns a fresh loss. */
    public Loss create() {
        return switch (this) {
            case CROSS_ENTROPY -> Loss.softmaxCrossEntropyLoss();
            case SLIDE_CE -> SlideLosses.crossEntropy();
            case MSE -> SlideLosses.mse();
        };
    }

    /**
     * Finds a loss by its command-line name.
     *
     * @param label e.g. {@code mse}
     * @return the kind
     * @throws IllegalArgumentException naming the valid choices
     */
    public static LossKind fromLabel(String label) {
        for (LossKind k : values()) {
            if (k.label.equals(label.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown loss '"
                        + label
                        + "', choose one of "
                        + Arrays.stream(values())
                                .map(LossKind::label)
                                .collect(Collectors.joining(", ")));
    }
}
