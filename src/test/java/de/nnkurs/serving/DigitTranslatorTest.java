package de.nnkurs.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import de.nnkurs.Fixtures;

import org.junit.jupiter.api.Test;

import java.util.Map;

/** The served translator feeds the network what the course's transform gives. */
class DigitTranslatorTest {

    @Test
    void everyByteBecomesWhatTorchvisionsToTensorAndNormalizeGive() {
        float[] expected;
        byte[] bytes;
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> npz = Fixtures.npz("course_transform.npz", manager);
            bytes = npz.get("every_byte").toByteArray();
            expected = npz.get("every_byte_out").toFloatArray();
        }
        float[] table = new DigitTranslator(0.5f, 0.5f, 3).inputValues();
        float[] actual = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            actual[i] = table[bytes[i] & 0xFF];
        }
        assertArrayEquals(expected, actual, "bit for bit");
    }

    @Test
    void settingsComeFromServingProperties() {
        DigitTranslator t =
                DigitTranslator.of(Map.of("normalizeMean", "0.5", "normalizeStd", "0.5"));
        assertEquals(-1f, t.inputValues()[0]);
        assertEquals(1f, t.inputValues()[255]);
    }

    @Test
    void aMissingOrBrokenSettingIsNamed() {
        assertEquals(
                "normalizeStd is missing: export the model again",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> DigitTranslator.of(Map.of("normalizeMean", "0.5")))
                        .getMessage());
        assertEquals(
                "topK=11: expected 1 to 10",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        DigitTranslator.of(
                                                Map.of(
                                                        "normalizeMean", "0.5",
                                                        "normalizeStd", "0.5",
                                                        "topK", "11")))
                        .getMessage());
        assertEquals(
                "invert=sometimes: expected auto or never",
                assertThrows(IllegalArgumentException.class, () -> Invert.parse("sometimes"))
                        .getMessage());
    }
}
