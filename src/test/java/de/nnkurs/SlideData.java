package de.nnkurs;

import de.nnkurs.data.MnistSplit;

import java.util.Random;

/** Tiny learnable datasets in MNIST's shape. */
public final class SlideData {

    private SlideData() {}

    /**
     * Returns images whose label k is drawn as a bright horizontal band at rows 2k+4 and 2k+5, on a
     * dark background with noise: easy to learn, so gradients carry a real signal.
     *
     * @param count the number of examples, labels cycling 0..9
     * @param seed the noise seed
     * @return the split
     */
    public static MnistSplit stripes(int count, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * Lesson.INPUT];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = i % Lesson.OUTPUT;
            labels[i] = (byte) label;
            for (int p = 0; p < Lesson.INPUT; p++) {
                int row = p / Lesson.IMAGE_SIDE;
                boolean band = row == 2 * label + 4 || row == 2 * label + 5;
                int value = (band ? 200 : 0) + random.nextInt(56);
                pixels[i * Lesson.INPUT + p] = (byte) value;
            }
        }
        return new MnistSplit(count, pixels, labels);
    }
}
