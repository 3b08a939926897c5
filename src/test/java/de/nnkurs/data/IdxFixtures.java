package de.nnkurs.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes tiny IDX files, raw or gzip, well-formed or deliberately broken, for the data tests.
 *
 * <p>Public only so that tests in other packages can call {@link #writeMnistFolder}.
 */
public final class IdxFixtures {

    /** Magic number of an IDX images file. */
    static final int IMAGES_MAGIC = 2051;

    /** Magic number of an IDX labels file. */
    static final int LABELS_MAGIC = 2049;

    /** Side of an MNIST image. */
    static final int SIDE = 28;

    private IdxFixtures() {}

    /** Writes an images file: magic 2051, count, rows, cols, then the pixel bytes. */
    static Path writeImages(Path file, int count, int rows, int cols, byte[] pixels, boolean gzip)
            throws IOException {
        return writeIdx(file, new int[] {IMAGES_MAGIC, count, rows, cols}, pixels, gzip);
    }

    /** Writes a labels file: magic 2049, count, then one byte per label. */
    static Path writeLabels(Path file, byte[] labels, boolean gzip) throws IOException {
        return writeIdx(file, new int[] {LABELS_MAGIC, labels.length}, labels, gzip);
    }

    /** Writes arbitrary big-endian header ints followed by arbitrary payload bytes. */
    static Path writeIdx(Path file, int[] header, byte[] payload, boolean gzip) throws IOException {
        byte[] bytes = idxBytes(header, payload);
        return writeBytes(file, gzip ? gzip(bytes) : bytes);
    }

    /** Writes the bytes as they are, creating parent folders. */
    static Path writeBytes(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.write(file, bytes);
    }

    /** Returns the header ints (big-endian) followed by the payload. */
    static byte[] idxBytes(int[] header, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * header.length + payload.length);
        for (int value : header) {
            buffer.putInt(value);
        }
        buffer.put(payload);
        return buffer.array();
    }

    /** Returns the bytes gzip-compressed. */
    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** Returns a deterministic pixel pattern for {@code count} images of {@code rows × cols}. */
    static byte[] pixels(int count, int rows, int cols) {
        byte[] pixels = new byte[count * rows * cols];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (k % 251);
        }
        return pixels;
    }

    /** Returns {@code count} labels, label {@code i} being {@code i % 10}. */
    static byte[] labels(int count) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        return labels;
    }

    /** Returns the canonical name of an MNIST file, with {@code .gz} if asked. */
    static String fileName(MnistFile file, boolean gzip) {
        return file.fileName() + (gzip ? ".gz" : "");
    }

    /** Writes all four MNIST files with canonical names: 28×28 images, labels {@code i % 10}. */
    public static void writeMnistFolder(Path dir, int trainCount, int testCount, boolean gzip)
            throws IOException {
        writeSplit(dir, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS, trainCount, gzip);
        writeSplit(dir, MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS, testCount, gzip);
    }

    private static void writeSplit(
            Path dir, MnistFile images, MnistFile labels, int count, boolean gzip)
            throws IOException {
        writeImages(
                dir.resolve(fileName(images, gzip)),
                count,
                SIDE,
                SIDE,
                pixels(count, SIDE, SIDE),
                gzip);
        writeLabels(dir.resolve(fileName(labels, gzip)), labels(count), gzip);
    }
}
