package de.nnkurs.model;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.Lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The design choices of the slides' five steps that the network itself holds: the widths of the
 * hidden layers, their activation, and whether a Softmax ends the network. Input (784 pixels) and
 * output (10 digits) are fixed by the task.
 *
 * @param hidden widths of the hidden layers, at most {@value #MAX_HIDDEN_LAYERS} of them, each 1 to
 *     {@value #MAX_WIDTH}
 * @param activation the activation after every hidden layer
 * @param variant whether the final Softmax is there
 */
public record Architecture(List<Integer> hidden, HiddenActivation activation, Variant variant) {

    /** The widest hidden layer accepted. */
    public static final int MAX_WIDTH = 4096;

    /** The most hidden layers accepted. */
    public static final int MAX_HIDDEN_LAYERS = 16;

    /** Checks the number of hidden layers and their widths. */
    public Architecture {
        hidden = List.copyOf(hidden);
        if (hidden.size() > MAX_HIDDEN_LAYERS) {
            throw new InvalidSettingException(
                    "hidden",
                    "has "
                            + hidden.size()
                            + " layers, more than the "
                            + MAX_HIDDEN_LAYERS
                            + " accepted");
        }
        for (int width : hidden) {
            if (width < 1 || width > MAX_WIDTH) {
                throw new InvalidSettingException(
                        "hidden", "layer width " + width + " is outside 1.." + MAX_WIDTH);
            }
        }
    }

    /** Returns the number of weights and biases. */
    public long weights() {
        long total = 0;
        int in = Lesson.INPUT;
        for (int width : hidden) {
            total += (long) in * width + width;
            in = width;
        }
        return total + (long) in * Lesson.OUTPUT + Lesson.OUTPUT;
    }

    /**
     * Returns the libtorch thread count that trains this network fastest, by its size: one thread
     * for a small network, where a second costs more in hand-offs than it saves, else every core.
     *
     * @param cores the processors available
     * @return 1 or {@code cores}
     */
    public int trainingThreads(int cores) {
        return weights() < Lesson.ONE_THREAD_BELOW_WEIGHTS ? 1 : Math.max(1, cores);
    }

    /** Returns the slides' network: 64-64-64, ReLU, with or without the final Softmax. */
    public static Architecture lesson(Variant variant) {
        return new Architecture(Lesson.HIDDEN, HiddenActivation.RELU, variant);
    }

    /**
     * Parses hidden widths written as {@code 64,64,64} (an empty string means no hidden layer).
     *
     * @param spec the widths, separated by commas
     * @return the widths
     * @throws IllegalArgumentException naming the part that is not a width
     */
    public static List<Integer> parseHidden(String spec) {
        List<Integer> widths = new ArrayList<>();
        if (spec.isBlank()) {
            return widths;
        }
        String[] parts = spec.split(",");
        if (parts.length > MAX_HIDDEN_LAYERS) {
            throw new InvalidSettingException(
                    "hidden",
                    "has "
                            + parts.length
                            + " layers, more than the "
                            + MAX_HIDDEN_LAYERS
                            + " accepted");
        }
        for (String part : parts) {
            try {
                widths.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(
                        "hidden",
                        "'"
                                + spec
                                + "': '"
                                + part.strip()
                                + "' is not a layer width (write the widths comma-separated,"
                                + " e.g. 64,64,64)");
            }
        }
        return widths;
    }

    /**
     * Parses the {@code architecture} string of a model's metadata, e.g. {@code 784-64-64-64-10}.
     *
     * @param text the layer widths from input to output
     * @return the hidden widths
     * @throws IllegalArgumentException if the input is not 784 or the output not 10
     */
    public static List<Integer> hiddenOf(String text) {
        String[] parts = text.split("-");
        if (parts.length < 2
                || !parts[0].equals(Integer.toString(Lesson.INPUT))
                || !parts[parts.length - 1].equals(Integer.toString(Lesson.OUTPUT))) {
            throw new IllegalArgumentException(
                    "architecture "
                            + text
                            + " does not run from "
                            + Lesson.INPUT
                            + " to "
                            + Lesson.OUTPUT);
        }
        List<Integer> hidden = new ArrayList<>();
        for (int i = 1; i < parts.length - 1; i++) {
            hidden.add(Integer.parseInt(parts[i]));
        }
        return hidden;
    }

    /** Returns the layer widths from input to output, e.g. {@code 784-64-64-64-10}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(Lesson.INPUT);
        for (int width : hidden) {
            sb.append('-').append(width);
        }
        return sb.append('-').append(Lesson.OUTPUT).toString();
    }

    /** Returns the name of the model folder train writes unless told: mnist or mnist-logits. */
    public String defaultName() {
        return variant == Variant.SLIDES ? "mnist" : "mnist-logits";
    }

    /** Returns the hidden widths as {@code 64,64,64}. */
    public String hiddenSpec() {
        return hidden.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
