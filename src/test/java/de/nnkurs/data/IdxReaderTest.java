package de.nnkurs.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Specifies how {@link IdxReader} reads IDX files and how it rejects every kind of bad input. */
class IdxReaderTest {

    private static final int NUM_CLASSES = 10;

    @TempDir Path dir;

    @Test
    void readsRawImagesWithExactCountSizeAndPixels() throws IOException {
        byte[] pixels = IdxFixtures.pixels(3, 4, 5);
        Path file = IdxFixtures.writeImages(dir.resolve("img"), 3, 4, 5, pixels, false);

        IdxImages images = IdxReader.readImages(file);

        assertEquals(3, images.count());
        assertEquals(4, images.rows());
        assertEquals(5, images.cols());
        assertArrayEquals(pixels, images.pixels());
    }

    @Test
    void readsGzipImagesIdenticallyToRaw() throws IOException {
        byte[] pixels = IdxFixtures.pixels(3, 4, 5);
        Path raw = IdxFixtures.writeImages(dir.resolve("img"), 3, 4, 5, pixels, false);
        Path gz = IdxFixtures.writeImages(dir.resolve("img.gz"), 3, 4, 5, pixels, true);

        IdxImages fromRaw = IdxReader.readImages(raw);
        IdxImages fromGzip = IdxReader.readImages(gz);

        assertEquals(fromRaw.count(), fromGzip.count());
        assertEquals(fromRaw.rows(), fromGzip.rows());
        assertEquals(fromRaw.cols(), fromGzip.cols());
        assertArrayEquals(fromRaw.pixels(), fromGzip.pixels());
    }

    @Test
    void readsPixelBytesAbove127Unchanged() throws IOException {
        byte[] pixels = {0, (byte) 128, (byte) 255, 1};
        Path file = IdxFixtures.writeImages(dir.resolve("img"), 1, 2, 2, pixels, false);

        assertArrayEquals(pixels, IdxReader.readImages(file).pixels());
    }

    @Test
    void readsLabels() throws IOException {
        byte[] labels = IdxFixtures.labels(25);
        Path file = IdxFixtures.writeLabels(dir.resolve("lbl"), labels, false);

        assertArrayEquals(labels, IdxReader.readLabels(file, NUM_CLASSES));
    }

    @Test
    void readsGzipLabels() throws IOException {
        byte[] labels = IdxFixtures.labels(25);
        Path file = IdxFixtures.writeLabels(dir.resolve("lbl.gz"), labels, true);

        assertArrayEquals(labels, IdxReader.readLabels(file, NUM_CLASSES));
    }

    @Test
    void rejectsMissingFileNamingIt() {
        Path file = dir.resolve("train-images-idx3-ubyte");

        assertInvalid(file, () -> IdxReader.readImages(file), "no such file");
    }

    @Test
    void rejectsWrongMagicNamingTheFile() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("img"), new int[] {1234, 1, 1, 1}, new byte[1], false);

        String message = assertInvalid(file, () -> IdxReader.readImages(file), "magic number 1234");
        assertTrue(message.contains("not an IDX images file"), message);
    }

    @Test
    void rejectsLabelsFilePassedAsImagesSayingItIsALabelsFile() throws IOException {
        Path file = IdxFixtures.writeLabels(dir.resolve("lbl"), IdxFixtures.labels(5), false);

        assertInvalid(file, () -> IdxReader.readImages(file), "is an IDX labels file");
    }

    @Test
    void rejectsImagesFilePassedAsLabelsSayingItIsAnImagesFile() throws IOException {
        Path file = IdxFixtures.writeImages(dir.resolve("img"), 1, 2, 2, new byte[4], false);

        assertInvalid(file, () -> IdxReader.readLabels(file, NUM_CLASSES), "is an IDX images file");
    }

    @Test
    void rejectsRawImagesShorterThanTheHeaderDeclaresAsTruncated() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("img"),
                        new int[] {IdxFixtures.IMAGES_MAGIC, 10, 28, 28},
                        new byte[784 * 9],
                        false);

        String message = assertInvalid(file, () -> IdxReader.readImages(file), "truncated");
        assertTrue(message.contains("header declares 10 images of 28×28"), message);
    }

    @Test
    void rejectsRawLabelsShorterThanTheHeaderDeclaresAsTruncated() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("lbl"),
                        new int[] {IdxFixtures.LABELS_MAGIC, 10},
                        new byte[7],
                        false);

        assertInvalid(file, () -> IdxReader.readLabels(file, NUM_CLASSES), "truncated");
    }

    @Test
    void rejectsRawImagesLongerThanTheHeaderDeclares() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("img"),
                        new int[] {IdxFixtures.IMAGES_MAGIC, 2, 3, 3},
                        new byte[2 * 9 + 1],
                        false);

        String message =
                assertInvalid(file, () -> IdxReader.readImages(file), "header declares 2 images");
        assertTrue(message.contains("but the file has 35 bytes"), message);
        assertTrue(!message.contains("truncated"), message);
    }

    @Test
    void rejectsEmptyFileAsTruncatedBeforeTheMagicNumber() throws IOException {
        Path file = IdxFixtures.writeBytes(dir.resolve("img"), new byte[0]);

        assertInvalid(file, () -> IdxReader.readImages(file), "truncated: file ends before");
    }

    @Test
    void rejectsFileEndingInsideTheHeaderAsTruncated() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("img"),
                        new int[] {IdxFixtures.IMAGES_MAGIC, 1},
                        new byte[0],
                        false);

        assertInvalid(file, () -> IdxReader.readImages(file), "truncated: file ends before");
    }

    @Test
    void rejectsHugeImageHeaderWithoutAllocating() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("img"),
                        new int[] {IdxFixtures.IMAGES_MAGIC, 100_000, 100_000, 100_000},
                        new byte[16],
                        false);

        String message = assertInvalid(file, () -> IdxReader.readImages(file), "too large");
        assertTrue(message.contains("header declares 100000 images of 100000×100000"), message);
    }

    @Test
    void rejectsMaximalImageCountWithoutAllocating() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("img.gz"),
                        new int[] {IdxFixtures.IMAGES_MAGIC, Integer.MAX_VALUE, 28, 28},
                        new byte[0],
                        true);

        assertInvalid(file, () -> IdxReader.readImages(file), "too large to load");
    }

    @Test
    void rejectsMaximalLabelCountWithoutAllocating() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("lbl.gz"),
                        new int[] {IdxFixtures.LABELS_MAGIC, Integer.MAX_VALUE},
                        new byte[0],
                        true);

        assertInvalid(file, () -> IdxReader.readLabels(file, NUM_CLASSES), "too large to load");
    }

    @Test
    void rejectsHeaderSizeWithTheTopBitSetAsTooLarge() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("img"),
                        new int[] {IdxFixtures.IMAGES_MAGIC, -1, 28, 28},
                        new byte[0],
                        false);

        assertInvalid(
                file,
                () -> IdxReader.readImages(file),
                "header image count 4294967295 is too large");
    }

    @Test
    void rejectsLabelOutsideZeroToNineNamingValueAndIndex() throws IOException {
        byte[] labels = IdxFixtures.labels(50);
        labels[40] = 12;
        Path file = IdxFixtures.writeLabels(dir.resolve("lbl"), labels, false);

        InvalidDataException e =
                assertThrows(
                        InvalidDataException.class, () -> IdxReader.readLabels(file, NUM_CLASSES));
        assertEquals(file + ": label 12 at index 40 is outside 0..9", e.getMessage());
    }

    @Test
    void rejectsLabelByteAbove127AsOutsideTheRangeNotAsNegative() throws IOException {
        byte[] labels = IdxFixtures.labels(5);
        labels[2] = (byte) 200;
        Path file = IdxFixtures.writeLabels(dir.resolve("lbl"), labels, false);

        assertInvalid(
                file,
                () -> IdxReader.readLabels(file, NUM_CLASSES),
                "label 200 at index 2 is outside 0..9");
    }

    @Test
    void rejectsCorruptGzip() throws IOException {
        byte[] bytes = {
            0x1f,
            (byte) 0x8b,
            0x42,
            0x13,
            0x37,
            0x00,
            0x11,
            0x22,
            0x33,
            0x44,
            0x55,
            0x66,
            0x77,
            (byte) 0x88,
            (byte) 0x99,
            (byte) 0xaa
        };
        Path file = IdxFixtures.writeBytes(dir.resolve("img.gz"), bytes);

        assertInvalid(file, () -> IdxReader.readImages(file), "corrupt gzip");
    }

    @Test
    void rejectsGzipWithGarbledDeflateDataAsCorrupt() throws IOException {
        byte[] bytes =
                IdxFixtures.gzip(
                        IdxFixtures.idxBytes(
                                new int[] {IdxFixtures.IMAGES_MAGIC, 1, 28, 28},
                                IdxFixtures.pixels(1, 28, 28)));
        // Keep the 10-byte gzip header, replace the deflate stream with invalid block type 3.
        Arrays.fill(bytes, 10, bytes.length, (byte) 0xff);
        Path file = IdxFixtures.writeBytes(dir.resolve("img.gz"), bytes);

        assertInvalid(file, () -> IdxReader.readImages(file), "corrupt gzip");
    }

    @Test
    void rejectsGzipWithWrongChecksumAsCorrupt() throws IOException {
        byte[] bytes =
                IdxFixtures.gzip(
                        IdxFixtures.idxBytes(
                                new int[] {IdxFixtures.LABELS_MAGIC, 5}, IdxFixtures.labels(5)));
        bytes[bytes.length - 8] ^= 0x01; // first byte of the CRC-32 in the gzip trailer
        Path file = IdxFixtures.writeBytes(dir.resolve("lbl.gz"), bytes);

        assertInvalid(file, () -> IdxReader.readLabels(file, NUM_CLASSES), "corrupt gzip");
    }

    @Test
    void rejectsGzipCutInHalfAsTruncated() throws IOException {
        byte[] pixels = new byte[20 * 28 * 28];
        new Random(7).nextBytes(pixels);
        Path whole = IdxFixtures.writeImages(dir.resolve("whole.gz"), 20, 28, 28, pixels, true);
        byte[] bytes = Files.readAllBytes(whole);
        Path file =
                IdxFixtures.writeBytes(
                        dir.resolve("half.gz"), Arrays.copyOf(bytes, bytes.length / 2));

        assertInvalid(file, () -> IdxReader.readImages(file), "truncated: gzip data ends after");
    }

    @Test
    void rejectsGzipCutInsideItsOwnHeaderAsTruncated() throws IOException {
        byte[] bytes =
                IdxFixtures.gzip(
                        IdxFixtures.idxBytes(
                                new int[] {IdxFixtures.LABELS_MAGIC, 5}, IdxFixtures.labels(5)));
        Path file = IdxFixtures.writeBytes(dir.resolve("stub.gz"), Arrays.copyOf(bytes, 6));

        assertInvalid(
                file,
                () -> IdxReader.readLabels(file, NUM_CLASSES),
                "truncated: file ends inside the gzip header");
    }

    @Test
    void rejectsGzipWhoseContentIsShorterThanTheHeaderDeclaresAsTruncated() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("img.gz"),
                        new int[] {IdxFixtures.IMAGES_MAGIC, 10, 28, 28},
                        new byte[784 * 9],
                        true);

        assertInvalid(
                file,
                () -> IdxReader.readImages(file),
                "truncated: data ends after 7056 of 7840 declared bytes");
    }

    @Test
    void rejectsGzipThatOverstatesItsSizeAsTruncatedWithoutAllocatingTheDeclaredSize()
            throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("img.gz"),
                        new int[] {IdxFixtures.IMAGES_MAGIC, 2_000_000, 28, 28},
                        new byte[10],
                        true);

        assertInvalid(
                file,
                () -> IdxReader.readImages(file),
                "truncated: data ends after 10 of 1568000000 declared bytes");
    }

    @Test
    void rejectsGzipWhoseContentIsLongerThanTheHeaderDeclares() throws IOException {
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("lbl.gz"),
                        new int[] {IdxFixtures.LABELS_MAGIC, 3},
                        new byte[4],
                        true);

        assertInvalid(
                file,
                () -> IdxReader.readLabels(file, NUM_CLASSES),
                "trailing bytes after the declared data");
    }

    /** Asserts the call throws InvalidDataException naming the file and the phrase. */
    private static String assertInvalid(Path file, Executable call, String phrase) {
        InvalidDataException e = assertThrows(InvalidDataException.class, call);
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), "message does not name the file: " + message);
        assertTrue(message.contains(phrase), "message lacks '" + phrase + "': " + message);
        return message;
    }

    @Test
    void threeHugeSizesWhoseProductOverflowsALongAreRefused() throws IOException {
        // 2147483647³ does not fit in a long: the product wrapped to a negative size before.
        Path file =
                IdxFixtures.writeIdx(
                        dir.resolve("huge.gz"),
                        new int[] {
                            IdxFixtures.IMAGES_MAGIC,
                            Integer.MAX_VALUE,
                            Integer.MAX_VALUE,
                            Integer.MAX_VALUE
                        },
                        new byte[16],
                        true);
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains("too large to load"), e.getMessage());
    }
}
