package de.nnkurs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Specifies that {@link CourseTransform} equals ToTensor() + Normalize((0.5,), (0.5,)). */
class CourseTransformTest {

    @Test
    void mapsBlackToMinusOneExactly() {
        assertEquals(-1.0f, CourseTransform.apply((byte) 0));
    }

    @Test
    void mapsWhiteToOneExactly() {
        assertEquals(1.0f, CourseTransform.apply((byte) 255));
    }

    @Test
    void maps128BitExactlyToTheFloat32Computation() {
        float expected = ((128 / 255f) - 0.5f) / 0.5f;

        assertEquals(
                Float.floatToIntBits(expected),
                Float.floatToIntBits(CourseTransform.apply((byte) 128)));
    }

    @Test
    void maps128ToThePyTorchFloat32Value() {
        assertEquals(0.003921628f, CourseTransform.apply((byte) 128), 1e-7f);
    }

    @Test
    void mapsEveryByteBitExactlyToTheFloat32Computation() {
        for (int b = 0; b < 256; b++) {
            float expected = ((b / 255f) - 0.5f) / 0.5f;
            assertEquals(
                    Float.floatToIntBits(expected),
                    Float.floatToIntBits(CourseTransform.apply((byte) b)),
                    "byte " + b);
        }
    }

    @Test
    void arrayVariantAppliesTheSameMappingAtTheGivenOffsets() {
        byte[] src = {9, 0, (byte) 128, (byte) 255, 9};
        float[] dst = {42f, 42f, 42f, 42f, 42f};

        CourseTransform.apply(src, 1, dst, 2, 3);

        assertEquals(42f, dst[0]);
        assertEquals(42f, dst[1]);
        assertEquals(CourseTransform.apply((byte) 0), dst[2]);
        assertEquals(CourseTransform.apply((byte) 128), dst[3]);
        assertEquals(CourseTransform.apply((byte) 255), dst[4]);
    }
}
