package de.nnkurs;

import de.nnkurs.data.MnistData;
import de.nnkurs.data.MnistSplit;

import java.util.Map;
import java.util.Random;

/** Small random datasets in MNIST's shape, for tests that need data but not learning. */
public final class Synthetic {

    private Synthetic() {}

    /**
     * Returns a split of random pixels and labels.
     *
     * @param count the number of examples
     * @param seed the generator seed
     * @return the split
     */
    public static MnistSplit split(int count, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * Lesson.INPUT];
        random.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) random.nextInt(Lesson.OUTPUT);
        }
        return new MnistSplit(count, pixels, labels);
    }

    /** Returns a dataset of {@code train} and {@code test} random examples. */
    public static MnistData mnist(int train, int test) {
        return new MnistData(split(train, 1), split(test, 2), Map.of());
    }
}
