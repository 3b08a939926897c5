package de.nnkurs.model;

import java.util.Locale;

/** Whether the classifier ends in {@code Softmax(dim=1)} as on the slides, or returns logits. */
public enum Variant {
    /**
     * The slides' model: the last layer is followed by {@code Softmax(dim=1)}, and {@code
     * CrossEntropyLoss} then applies log-softmax a second time.
     */
    SLIDES,
    /** The same model without the final Softmax: {@code CrossEntropyLoss} gets logits. */
    LOGITS;

    /** Returns the name used on the command line and in metadata. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
