package de.nnkurs.serving;

import java.util.Locale;

/** Whether a dark digit on light ground is inverted to MNIST's light digit on dark ground. */
public enum Invert {
    /** Inverted when the picture's outermost frame of pixels is light (mean above 127). */
    AUTO,
    /** Taken as it is. */
    NEVER;

    /**
     * Reads the {@code invert} setting.
     *
     * @param value {@code auto} or {@code never}, any case
     * @return the setting
     * @throws IllegalArgumentException naming the setting and the value otherwise
     */
    public static Invert parse(String value) {
        for (Invert invert : values()) {
            if (invert.name().equalsIgnoreCase(value.strip())) {
                return invert;
            }
        }
        throw new IllegalArgumentException("invert=" + value + ": expected auto or never");
    }

    /** Returns the setting as written in {@code serving.properties}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
