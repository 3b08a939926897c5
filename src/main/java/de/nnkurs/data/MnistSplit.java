package de.nnkurs.data;

import de.nnkurs.Lesson;

import java.util.Arrays;

/**
 * One part of MNIST (training or test) as raw bytes, exactly as the IDX files hold it.
 *
 * @param count the number of images
 * @param pixels {@code count × 784} unsigned pixel bytes, 0 = black background
 * @param labels {@code count} digits 0..9
 */
public record MnistSplit(int count, byte[] pixels, byte[] labels) {

    /** Checks the lengths agree. */
    public MnistSplit {
        if (pixels.length != (long) count * Lesson.INPUT || labels.length != count) {
            throw new IllegalArgumentException(
                    "expected "
                            + count
                            + " images of "
                            + Lesson.INPUT
                            + " pixels and as many labels");
        }
    }

    /** Returns the first {@code n} examples (all if fewer). */
    public MnistSplit head(int n) {
        int m = Math.min(n, count);
        return new MnistSplit(m, Arrays.copyOf(pixels, m * Lesson.INPUT), Arrays.copyOf(labels, m));
    }
}
