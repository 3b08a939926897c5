package de.nnkurs.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import de.nnkurs.Fixtures;

import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * Specifies that {@link CourseTransform} equals ToTensor() + Normalize((0.5,), (0.5,)).
 *
 * <p>The expected values are torchvision's: {@code scripts/make_fixtures.py} (torch 1.13.1,
 * torchvision 0.14.1) applied {@code transforms.Compose([transforms.ToTensor(),
 * transforms.Normalize((0.5,), (0.5,))])} to PIL images of a 16×16 picture holding every byte value
 * and of the first training and test image of MNIST, into {@code course_transform.npz}.
 */
class CourseTransformTest {

    private static final Torchvision TORCHVISION = Torchvision.read();

    /** The fixture's inputs (every_byte is 0, 1, …, 255) and torchvision's outputs. */
    private record Torchvision(
            byte[] everyByte, float[] everyByteOut, byte[][] images, float[][] imagesOut) {

        static Torchvision read() {
            try (NDManager manager = NDManager.newBaseManager()) {
                Map<String, NDArray> npz = Fixtures.npz("course_transform.npz", manager);
                NDArray images = npz.get("images");
                NDArray imagesOut = npz.get("images_out");
                int n = Math.toIntExact(images.getShape().get(0));
                byte[][] in = new byte[n][];
                float[][] out = new float[n][];
                for (int i = 0; i < n; i++) {
                    in[i] = images.get(i).toByteArray();
                    out[i] = imagesOut.get(i).toFloatArray();
                }
                return new Torchvision(
                        npz.get("every_byte").toByteArray(),
                        npz.get("every_byte_out").toFloatArray(),
                        in,
                        out);
            }
        }
    }

    @Test
    void mapsBlackToMinusOneExactly() {
        assertEquals(-1.0f, CourseTransform.apply((byte) 0));
    }

    @Test
    void mapsWhiteToOneExactly() {
        assertEquals(1.0f, CourseTransform.apply((byte) 255));
    }

    @Test
    void mapsEveryByteValueBitExactlyAsTorchvisionDoes() {
        for (int b = 0; b < 256; b++) {
            assertEquals(
                    Float.floatToIntBits(TORCHVISION.everyByteOut()[b]),
                    Float.floatToIntBits(CourseTransform.apply(TORCHVISION.everyByte()[b])),
                    "byte " + b);
        }
    }

    @Test
    void transformsRealMnistImagesBitExactlyAsTorchvisionDoes() {
        byte[][] images = TORCHVISION.images();
        for (int i = 0; i < images.length; i++) {
            float[] dst = new float[784];
            CourseTransform.apply(images[i], 0, dst, 0, 784);
            float[] expected = TORCHVISION.imagesOut()[i];
            for (int p = 0; p < 784; p++) {
                assertEquals(
                        Float.floatToIntBits(expected[p]),
                        Float.floatToIntBits(dst[p]),
                        "image " + i + ", pixel " + p);
            }
        }
    }

    @Test
    void arrayVariantAppliesTheSameMappingAtTheGivenOffsets() {
        byte[] src = {9, 0, (byte) 128, (byte) 255, 9};
        float[] dst = {42f, 42f, 42f, 42f, 42f};

        CourseTransform.apply(src, 1, dst, 2, 3);

        float[] torchvision = TORCHVISION.everyByteOut();
        assertArrayEquals(
                new float[] {42f, 42f, torchvision[0], torchvision[128], torchvision[255]}, dst);
    }
}
