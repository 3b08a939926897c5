package de.nnkurs.data;

import de.nnkurs.Lesson;

/**
 * The course's {@code transforms.Compose([ToTensor(), Normalize((0.5,), (0.5,))])} for one pixel.
 *
 * <p>{@code ToTensor} divides the byte by 255 in float32; {@code Normalize} subtracts the mean and
 * divides by the standard deviation, also in float32. Doing the same float operations in the same
 * order gives bit-identical values, which the parity comparison with Python relies on.
 */
public final class CourseTransform {

    private static final float[] TABLE = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            float tensor = b / 255f; // ToTensor()
            TABLE[b] = (tensor - Lesson.NORMALIZE_MEAN) / Lesson.NORMALIZE_STD; // Normalize
        }
    }

    private CourseTransform() {}

    /**
     * Transforms one pixel byte.
     *
     * @param pixel the raw IDX byte, read as unsigned
     * @return the normalised value in [-1, 1]
     */
    public static float apply(byte pixel) {
        return TABLE[pixel & 0xff];
    }

    /**
     * Transforms {@code count} consecutive pixels.
     *
     * @param src the raw bytes
     * @param srcPos the first byte
     * @param dst where the floats go
     * @param dstPos the first float
     * @param count how many
     */
    public static void apply(byte[] src, int srcPos, float[] dst, int dstPos, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstPos + i] = TABLE[src[srcPos + i] & 0xff];
        }
    }
}
