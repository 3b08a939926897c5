package de.nnkurs.model;

import de.nnkurs.Choice;

/** Whether the classifier ends in {@code Softmax(dim=1)} as on the slides, or returns logits. */
public enum Variant implements Choice {
    /**
     * The slides' model: the last layer is followed by {@code Softmax(dim=1)}, and {@code
     * CrossEntropyLoss} then applies log-softmax a second time.
     */
    SLIDES,
    /** The same model without the final Softmax: {@code CrossEntropyLoss} gets logits. */
    LOGITS;

    /**
     * Finds a variant by its label.
     *
     * @param label {@code slides} or {@code logits}
     * @return the variant
     * @throws IllegalArgumentException naming the valid labels
     */
    public static Variant fromLabel(String label) {
        return Choice.parse(Variant.class, "variant", label);
    }

    /** Returns the label, so that a choice prints as it is typed, e.g. {@code leaky-relu}. */
    @Override
    public String toString() {
        return label();
    }
}
