package de.nnkurs.evaluation;

import de.nnkurs.Lesson;
import de.nnkurs.data.MnistSplit;

import java.util.Locale;
import java.util.Objects;

/**
 * Counts of (true class, predicted class) pairs, with accuracy, precision and recall.
 *
 * <p>Ratios whose denominator is zero are {@link Double#NaN}: the precision of a class that was
 * never predicted, the recall of a class that never occurs, the accuracy of no examples. {@link
 * #table()} prints them as {@code n/a}.
 */
public final class ConfusionMatrix {

    private final int[][] counts;
    private final int total;

    private ConfusionMatrix(int[][] counts, int total) {
        this.counts = counts;
        this.total = total;
    }

    /**
     * Counts how often each true class was predicted as each class.
     *
     * @param labels the true class of each example
     * @param predicted the predicted class of each example, in the same order
     * @param classes the number of classes; every value must lie in {@code 0..classes-1}
     * @return the matrix
     * @throws IllegalArgumentException if the lengths differ, {@code classes < 1} or a value is out
     *     of range
     */
    public static ConfusionMatrix of(int[] labels, int[] predicted, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes is " + classes + ", must be at least 1");
        }
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException(
                    labels.length + " labels but " + predicted.length + " predictions");
        }
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            check("label", labels[i], i, classes);
            check("prediction", predicted[i], i, classes);
            counts[labels[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts, labels.length);
    }

    /**
     * Counts a split's labels against predictions for it, over the lesson's ten digits.
     *
     * @param split the examples whose labels are the truth
     * @param predicted one predicted digit per example
     * @return the matrix
     * @throws IllegalArgumentException as {@link #of(int[], int[], int)}
     */
    public static ConfusionMatrix of(MnistSplit split, int[] predicted) {
        int[] labels = new int[split.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Byte.toUnsignedInt(split.labels()[i]);
        }
        return of(labels, predicted, Lesson.OUTPUT);
    }

    private static void check(String what, int value, int index, int classes) {
        if (value < 0 || value >= classes) {
            throw new IllegalArgumentException(
                    what + " " + value + " at index " + index + " is outside 0.." + (classes - 1));
        }
    }

    /** Returns the number of classes. */
    public int classes() {
        return counts.length;
    }

    /** Returns how many examples of class {@code actual} were predicted as {@code predicted}. */
    public int count(int actual, int predicted) {
        return counts[Objects.checkIndex(actual, classes())][
                Objects.checkIndex(predicted, classes())];
    }

    /** Returns the number of examples counted. */
    public int total() {
        return total;
    }

    /** Returns the number of examples predicted correctly: the sum of the diagonal. */
    public int correct() {
        int sum = 0;
        for (int k = 0; k < classes(); k++) {
            sum += counts[k][k];
        }
        return sum;
    }

    /** Returns how many examples truly belong to class {@code k}: the sum of row {@code k}. */
    public int actual(int k) {
        int sum = 0;
        for (int p = 0; p < classes(); p++) {
            sum += count(k, p);
        }
        return sum;
    }

    /** Returns how many examples were predicted as class {@code k}: the sum of column {@code k}. */
    public int predicted(int k) {
        int sum = 0;
        for (int a = 0; a < classes(); a++) {
            sum += count(a, k);
        }
        return sum;
    }

    /** Returns the share of examples predicted correctly; NaN if there are none. */
    public double accuracy() {
        return ratio(correct(), total);
    }

    /** Returns TP / (TP + FP) for class {@code k}; NaN if {@code k} was never predicted. */
    public double precision(int k) {
        return ratio(count(k, k), predicted(k));
    }

    /** Returns TP / (TP + FN) for class {@code k}; NaN if no example is of class {@code k}. */
    public double recall(int k) {
        return ratio(count(k, k), actual(k));
    }

    /** Returns the share of row {@code actual} predicted as {@code predicted}; 0 if it is empty. */
    public double share(int actual, int predicted) {
        int row = actual(actual);
        return row == 0 ? 0 : (double) count(actual, predicted) / row;
    }

    // Written out so that 0/0 is NaN by definition, not by the accident of double arithmetic.
    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    /**
     * Returns the matrix for the console: rows are true classes, columns predicted classes,
     * followed by each class's precision and recall and a final accuracy line.
     */
    public String table() {
        int max = 0;
        for (int[] row : counts) {
            for (int c : row) {
                max = Math.max(max, c);
            }
        }
        // Four digits keep the ten MNIST columns within 80 characters; wider counts widen them.
        int width = Math.max(4, Integer.toString(max).length());
        String cell = " %" + width + "s";
        StringBuilder sb = new StringBuilder();
        sb.append("true\\pred");
        for (int p = 0; p < classes(); p++) {
            sb.append(String.format(Locale.ROOT, cell, p));
        }
        sb.append("  precision  recall\n");
        for (int a = 0; a < classes(); a++) {
            sb.append(String.format(Locale.ROOT, "%9d", a));
            for (int p = 0; p < classes(); p++) {
                sb.append(String.format(Locale.ROOT, cell, counts[a][p]));
            }
            sb.append(
                    String.format(
                            Locale.ROOT, "  %9s  %6s\n", format(precision(a)), format(recall(a))));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "accuracy %s (%d of %d)\n",
                        format(accuracy()),
                        correct(),
                        total));
        return sb.toString();
    }

    /** Returns a ratio with four decimals, or {@code n/a} for NaN. */
    static String format(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }
}
