package de.nnkurs;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A named choice of the lesson (an activation, a loss, an optimizer, a model variant), with one
 * naming rule for code, command line and metadata: the constant {@code LEAKY_RELU} is {@code
 * leaky-relu}.
 */
public interface Choice {

    /** Returns the label: the constant's name in lower case, {@code _} written as {@code -}. */
    default String label() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Finds the constant with the given label, case-insensitively.
     *
     * @param type the enum
     * @param what what the choice is, for the error, e.g. {@code loss}
     * @param label e.g. {@code cross-entropy}
     * @param <E> the enum type
     * @return the constant
     * @throws IllegalArgumentException naming the valid labels if none matches
     */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String what, String label) {
        String key = label.strip().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.label().equals(key)) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                "unknown " + what + " '" + label + "', choose one of " + labels(type));
    }

    /**
     * Returns every label of an enum, comma-separated, in declaration order.
     *
     * @param type the enum
     * @param <E> the enum type
     * @return e.g. {@code slides, logits}
     */
    static <E extends Enum<E> & Choice> String labels(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(Choice::label)
                .collect(Collectors.joining(", "));
    }
}
