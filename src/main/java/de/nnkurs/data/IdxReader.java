package de.nnkurs.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST-format IDX files (unsigned bytes, big-endian sizes), raw or gzip-compressed.
 *
 * <p>Every size in the header is checked against the file length before anything is allocated, so a
 * damaged or hostile header produces an {@link InvalidDataException} instead of an {@code
 * OutOfMemoryError}.
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned bytes with one dimension: labels. */
    public static final int LABELS_MAGIC = 0x0801;

    /** Magic number of an IDX file of unsigned bytes with three dimensions: images. */
    public static final int IMAGES_MAGIC = 0x0803;

    private static final int GZIP_MAGIC = 0x1f8b;
    private static final int BUFFER = 1 << 16;

    private IdxReader() {}

    /**
     * Reads an IDX3 image file.
     *
     * @param file the file, raw or gzip
     * @return the images
     * @throws InvalidDataException if the file is missing, truncated, corrupt or not an image file
     * @throws IOException if reading fails
     */
    public static IdxImages readImages(Path file) throws IOException {
        try (Source src = Source.open(file)) {
            src.expectMagic(IMAGES_MAGIC, "images");
            int count = src.readSize("image count");
            int rows = src.readSize("row count");
            int cols = src.readSize("column count");
            long payload;
            try {
                payload = Math.multiplyExact(Math.multiplyExact((long) count, rows), cols);
            } catch (ArithmeticException e) {
                payload = Long.MAX_VALUE; // three sizes near 2³¹ overflow a long: refused below
            }
            src.checkLength(
                    16,
                    payload,
                    String.format(Locale.ROOT, "%d images of %d×%d", count, rows, cols));
            return new IdxImages(count, rows, cols, src.readPayload((int) payload));
        }
    }

    /**
     * Reads an IDX1 label file and checks that every label is a class index.
     *
     * @param file the file, raw or gzip
     * @param numClasses labels must lie in {@code 0..numClasses-1}
     * @return one byte per label
     * @throws InvalidDataException if the file is missing, truncated, corrupt, not a label file or
     *     holds a label outside the range
     * @throws IOException if reading fails
     */
    public static byte[] readLabels(Path file, int numClasses) throws IOException {
        byte[] labels;
        try (Source src = Source.open(file)) {
            src.expectMagic(LABELS_MAGIC, "labels");
            int count = src.readSize("label count");
            src.checkLength(8, count, count + " labels");
            labels = src.readPayload(count);
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xff;
            if (label >= numClasses) {
                throw new InvalidDataException(
                        file,
                        String.format(
                                Locale.ROOT,
                                "label %d at index %d is outside 0..%d",
                                label,
                                i,
                                numClasses - 1));
            }
        }
        return labels;
    }

    /** An open IDX file with the facts needed to check its header before allocating. */
    private static final class Source implements AutoCloseable {
        private final Path file;
        private final long fileSize;
        private final boolean gzip;
        private final DataInputStream in;

        private Source(Path file, long fileSize, boolean gzip, InputStream in) {
            this.file = file;
            this.fileSize = fileSize;
            this.gzip = gzip;
            this.in = new DataInputStream(in);
        }

        static Source open(Path file) throws IOException {
            if (!Files.exists(file)) {
                throw new InvalidDataException(file, "no such file");
            }
            if (!Files.isRegularFile(file)) {
                throw new InvalidDataException(file, "not a regular file");
            }
            long size = Files.size(file);
            boolean gzip = false;
            try (InputStream head = Files.newInputStream(file)) {
                gzip = ((head.read() << 8) | head.read()) == GZIP_MAGIC;
            }
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
            try {
                InputStream in = gzip ? new GZIPInputStream(raw, BUFFER) : raw;
                return new Source(file, size, gzip, in);
            } catch (EOFException e) {
                raw.close();
                throw new InvalidDataException(file, "truncated: file ends inside the gzip header");
            } catch (ZipException e) {
                raw.close();
                throw corrupt(file, e);
            }
        }

        void expectMagic(int expected, String kind) throws IOException {
            int magic = readInt("the 4-byte magic number");
            if (magic == expected) {
                return;
            }
            String problem;
            if (magic == LABELS_MAGIC || magic == IMAGES_MAGIC) {
                String actual = magic == LABELS_MAGIC ? "labels" : "images";
                problem =
                        String.format(
                                Locale.ROOT,
                                "is an IDX %s file (magic %d), expected %s (magic %d)",
                                actual,
                                magic,
                                kind,
                                expected);
            } else {
                problem =
                        String.format(
                                Locale.ROOT,
                                "magic number %d (0x%08x) is not %d: not an IDX %s file",
                                magic,
                                magic,
                                expected,
                                kind);
            }
            throw new InvalidDataException(file, problem);
        }

        int readSize(String what) throws IOException {
            int size = readInt("the " + what);
            if (size < 0) {
                throw new InvalidDataException(
                        file,
                        "header " + what + " " + Integer.toUnsignedString(size) + " is too large");
            }
            return size;
        }

        /** Compares header-declared sizes with the file length (raw files) or a sane bound. */
        void checkLength(int headerBytes, long payload, String declared) throws IOException {
            long expected = headerBytes + payload;
            if (payload < 0 || payload > Integer.MAX_VALUE - 16) {
                throw new InvalidDataException(
                        file,
                        "header declares "
                                + declared
                                + " ("
                                + payload
                                + " bytes), too large to load");
            }
            if (!gzip && expected != fileSize) {
                String problem =
                        expected > fileSize
                                ? "truncated: header declares %s (%d bytes with header) but the"
                                        + " file has %d bytes"
                                : "header declares %s (%d bytes with header) but the file has %d"
                                        + " bytes";
                throw new InvalidDataException(
                        file, String.format(Locale.ROOT, problem, declared, expected, fileSize));
            }
        }

        /**
         * Reads the declared payload. A raw file's length was checked already; gzip data is read in
         * growing chunks, so a header that lies costs no more memory than the data really holds.
         */
        byte[] readPayload(int length) throws IOException {
            byte[] data = new byte[gzip ? Math.min(length, BUFFER) : length];
            int filled = 0;
            try {
                while (filled < length) {
                    if (filled == data.length) {
                        data = Arrays.copyOf(data, (int) Math.min(length, 2L * data.length));
                    }
                    int n = in.read(data, filled, data.length - filled);
                    if (n < 0) {
                        throw new InvalidDataException(
                                file,
                                String.format(
                                        Locale.ROOT,
                                        "truncated: data ends after %d of %d declared bytes",
                                        filled,
                                        length));
                    }
                    filled += n;
                }
                if (in.read() != -1) {
                    throw new InvalidDataException(file, "trailing bytes after the declared data");
                }
            } catch (ZipException e) {
                throw corrupt(file, e);
            } catch (EOFException e) {
                // GZIPInputStream reports a cut-off stream as EOFException.
                throw new InvalidDataException(
                        file,
                        "truncated: gzip data ends after " + filled + " of " + length + " bytes");
            }
            return data;
        }

        private int readInt(String what) throws IOException {
            try {
                return in.readInt();
            } catch (EOFException e) {
                throw new InvalidDataException(file, "truncated: file ends before " + what);
            } catch (ZipException e) {
                throw corrupt(file, e);
            }
        }

        private static InvalidDataException corrupt(Path file, IOException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new InvalidDataException(file, "corrupt gzip data (" + detail + ")", e);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
