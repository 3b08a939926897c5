package de.nnkurs.data;

import de.nnkurs.Lesson;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** MNIST examples as pictures: white digits on black, 28×28, one gray byte per pixel. */
public final class DigitImages {

    private DigitImages() {}

    /**
     * Returns example {@code index} of a split as a grayscale image.
     *
     * @param split the examples
     * @param index which one
     * @return a 28×28 {@code TYPE_BYTE_GRAY} image holding the raw IDX bytes
     */
    public static BufferedImage of(MnistSplit split, int index) {
        BufferedImage image =
                new BufferedImage(
                        Lesson.IMAGE_SIDE, Lesson.IMAGE_SIDE, BufferedImage.TYPE_BYTE_GRAY);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(split.pixels(), index * Lesson.INPUT, target, 0, Lesson.INPUT);
        return image;
    }
}
