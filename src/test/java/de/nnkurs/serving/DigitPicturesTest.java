package de.nnkurs.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every step of {@code docs/pictures.md}, checked against the reference that {@code
 * scripts/make_photo_fixtures.py} computed with PIL 9.4 and numpy 1.24 for 100 photo-like JPEGs of
 * MNIST test digits (dark ink on white, a third stored rotated with an EXIF tag) and 22 edge cases.
 */
class DigitPicturesTest {

    private static Path root;
    private static JsonObject reference;
    private static final Map<String, byte[]> EXPECTED = new HashMap<>();

    @BeforeAll
    static void readTheReference() throws IOException, URISyntaxException {
        root =
                Path.of(DigitPicturesTest.class.getResource("/photos/reference.json").toURI())
                        .getParent();
        reference =
                JsonParser.parseString(
                                Files.readString(
                                        root.resolve("reference.json"), StandardCharsets.UTF_8))
                        .getAsJsonObject();
        try (NDManager manager = NDManager.newBaseManager();
                InputStream in = Files.newInputStream(root.resolve("reference.npz"))) {
            for (NDArray a : NDList.decode(manager, in)) {
                EXPECTED.put(a.getName(), a.toByteArray());
            }
        }
    }

    @Test
    void everyPictureBecomesExactlyTheReferencesPicture() throws IOException {
        Set<String> refused = new HashSet<>();
        reference.getAsJsonArray("refused").forEach(e -> refused.add(e.getAsString()));
        int checked = 0;
        StringBuilder wrong = new StringBuilder();
        for (JsonElement e : reference.getAsJsonArray("files")) {
            JsonObject facts = e.getAsJsonObject();
            String file = facts.get("file").getAsString();
            byte[] data = Files.readAllBytes(root.resolve(file));
            if (refused.contains(file)) {
                continue;
            }
            DigitPictures.Prepared p = DigitPictures.prepare(data, Invert.AUTO);
            assertEquals(facts.get("inverted").getAsBoolean(), p.inverted(), file);
            assertEquals(
                    facts.get("orientation").getAsInt(), DigitPictures.orientation(data), file);
            byte[] expected = EXPECTED.get(file);
            int differing = 0;
            int worst = 0;
            for (int i = 0; i < expected.length; i++) {
                int d = Math.abs((expected[i] & 0xFF) - (p.pixels()[i] & 0xFF));
                differing += d == 0 ? 0 : 1;
                worst = Math.max(worst, d);
            }
            if (differing > 0) {
                wrong.append(file)
                        .append(": ")
                        .append(differing)
                        .append(" pixels differ, by up to ")
                        .append(worst)
                        .append('\n');
            }
            checked++;
        }
        assertEquals(120, checked);
        assertEquals("", wrong.toString());
    }

    @Test
    void aPictureWithoutADigitIsRefusedSayingSo() throws IOException {
        for (JsonElement e : reference.getAsJsonArray("refused")) {
            byte[] data = Files.readAllBytes(root.resolve(e.getAsString()));
            String message =
                    assertThrows(
                                    UnusablePictureException.class,
                                    () -> DigitPictures.prepare(data, Invert.AUTO))
                            .getMessage();
            assertTrue(
                    message.startsWith("no digit found: the picture is one flat shade"), message);
        }
    }

    @Test
    void mnistStylePicturesPassThroughUnchanged() throws IOException {
        byte[] data = Files.readAllBytes(root.resolve("cases/28-light-on-dark.png"));
        DigitPictures.Prepared p = DigitPictures.prepare(data, Invert.AUTO);
        assertArrayEquals(EXPECTED.get("cases/28-light-on-dark.png"), p.pixels());
        assertEquals(false, p.inverted());
    }

    @Test
    void invertNeverKeepsADarkOnLightPictureAsItIs() throws IOException {
        byte[] data = Files.readAllBytes(root.resolve("cases/28-dark-on-light.png"));
        DigitPictures.Prepared kept = DigitPictures.prepare(data, Invert.NEVER);
        DigitPictures.Prepared inverted = DigitPictures.prepare(data, Invert.AUTO);
        assertEquals(false, kept.inverted());
        for (int i = 0; i < kept.pixels().length; i++) {
            assertEquals(255 - (kept.pixels()[i] & 0xFF), inverted.pixels()[i] & 0xFF);
        }
    }

    @Test
    void unreadableBytesAreRefusedWithAReason() {
        assertEquals(
                "not an image (expected PNG or JPEG; GIF, BMP and TIFF work too)",
                assertThrows(
                                UnusablePictureException.class,
                                () -> DigitPictures.prepare("hello".getBytes(), Invert.AUTO))
                        .getMessage());
        assertEquals(
                "a WebP image, a format Java cannot decode; convert it to PNG or JPEG",
                assertThrows(
                                UnusablePictureException.class,
                                () ->
                                        DigitPictures.decode(
                                                "RIFF\0\0\0\0WEBPVP8 "
                                                        .getBytes(StandardCharsets.ISO_8859_1)))
                        .getMessage());
        assertEquals(
                "empty: no picture",
                assertThrows(
                                UnusablePictureException.class,
                                () -> DigitPictures.decode(new byte[0]))
                        .getMessage());
    }
}
