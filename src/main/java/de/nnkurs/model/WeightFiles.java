package de.nnkurs.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import de.nnkurs.data.InvalidDataException;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Checks a {@code .npz} or {@code .safetensors} file's declared sizes against the file itself and a
 * sane bound, before DJL's decoder allocates what the header asks for: a hostile header must end in
 * one line naming the file, not in gigabytes of memory.
 */
final class WeightFiles {

    /** The largest array accepted: 2²⁶ floats (256 MB), far above the widest allowed layer. */
    static final long MAX_ARRAY_BYTES = 1L << 28;

    /** The largest whole file accepted, summed over all arrays. */
    static final long MAX_TOTAL_BYTES = 1L << 30;

    /** The largest safetensors header accepted. */
    static final long MAX_HEADER_BYTES = 1L << 20;

    private static final Pattern NPY_SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern NPY_DESCR =
            Pattern.compile("'descr':\\s*'([<>|=]?)([a-zA-Z])(\\d+)'");

    private WeightFiles() {}

    /**
     * Fails unless every array the file declares fits in the file and under the bounds.
     *
     * @param file a {@code .npz} or {@code .safetensors}
     * @throws InvalidDataException naming the file and the declared size that does not fit
     * @throws IOException if reading fails
     */
    static void check(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            checkSafetensors(file);
        } else if (name.endsWith(".npz")) {
            checkNpz(file);
        }
    }

    private static void checkSafetensors(Path file) throws IOException {
        long size = Files.size(file);
        if (size < 8) {
            throw new InvalidDataException(
                    file, "truncated: " + size + " bytes, no safetensors header");
        }
        long headerLength;
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) > 0) {}
            headerLength = b.flip().getLong();
        }
        if (headerLength < 2 || headerLength > size - 8 || headerLength > MAX_HEADER_BYTES) {
            throw new InvalidDataException(
                    file,
                    String.format(
                            Locale.ROOT,
                            "safetensors header declares %s bytes, but the file has %d",
                            Long.toUnsignedString(headerLength),
                            size));
        }
        byte[] header = new byte[(int) headerLength];
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(8);
            new DataInputStream(in).readFully(header);
        }
        long data = size - 8 - headerLength;
        JsonObject json;
        try {
            json =
                    JsonParser.parseString(new String(header, StandardCharsets.UTF_8))
                            .getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new InvalidDataException(file, "the safetensors header is not a JSON object");
        }
        long total = 0;
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            try {
                JsonObject tensor = e.getValue().getAsJsonObject();
                long elements = elements(file, e.getKey(), tensor.getAsJsonArray("shape"));
                long bytes = elements * dtypeBytes(file, tensor.get("dtype").getAsString());
                long start = tensor.getAsJsonArray("data_offsets").get(0).getAsLong();
                long end = tensor.getAsJsonArray("data_offsets").get(1).getAsLong();
                if (start < 0 || end < start || end > data || end - start != bytes) {
                    throw new InvalidDataException(
                            file,
                            String.format(
                                    Locale.ROOT,
                                    "%s declares %d bytes at %d..%d, but the data holds %d bytes",
                                    e.getKey(),
                                    bytes,
                                    start,
                                    end,
                                    data));
                }
                total = bounded(file, e.getKey(), total, bytes);
            } catch (IllegalStateException
                    | NullPointerException
                    | UnsupportedOperationException
                    | IndexOutOfBoundsException
                    | NumberFormatException ex) {
                throw new InvalidDataException(file, e.getKey() + ": not a safetensors entry");
            }
        }
    }

    private static void checkNpz(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            long total = 0;
            for (ZipEntry entry : Collections.list(zip.entries())) {
                long declared = entry.getSize();
                if (declared < 0 || declared > MAX_ARRAY_BYTES + 4096) {
                    throw new InvalidDataException(
                            file,
                            entry.getName()
                                    + " declares "
                                    + declared
                                    + " bytes unpacked; at most "
                                    + (MAX_ARRAY_BYTES + 4096)
                                    + " are accepted");
                }
                long arrayBytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    arrayBytes = npyBytes(file, entry.getName(), in);
                }
                if (arrayBytes > declared) {
                    throw new InvalidDataException(
                            file,
                            String.format(
                                    Locale.ROOT,
                                    "%s declares an array of %d bytes in an entry of %d",
                                    entry.getName(),
                                    arrayBytes,
                                    declared));
                }
                total = bounded(file, entry.getName(), total, arrayBytes);
            }
        } catch (ZipException e) {
            throw new InvalidDataException(file, "not a readable .npz (" + e.getMessage() + ")");
        }
    }

    /** Reads an .npy header and returns the array's size in bytes. */
    private static long npyBytes(Path file, String entry, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || (magic[0] & 0xff) != 0x93 || magic[1] != 'N' || magic[2] != 'U') {
            throw new InvalidDataException(file, entry + ": not an .npy array");
        }
        int major = magic[6];
        byte[] lengthBytes = in.readNBytes(major == 1 ? 2 : 4);
        ByteBuffer b =
                ByteBuffer.wrap(Arrays.copyOf(lengthBytes, 4)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? b.getShort() & 0xffff : b.getInt() & 0xffffffffL;
        if (headerLength > 65536) {
            throw new InvalidDataException(
                    file, entry + ": .npy header of " + headerLength + " bytes");
        }
        String header = new String(in.readNBytes((int) headerLength), StandardCharsets.ISO_8859_1);
        Matcher shape = NPY_SHAPE.matcher(header);
        Matcher descr = NPY_DESCR.matcher(header);
        if (!shape.find() || !descr.find()) {
            throw new InvalidDataException(file, entry + ": .npy header without shape or dtype");
        }
        long elements = 1;
        for (String dim : shape.group(1).split(",")) {
            if (dim.isBlank()) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(dim.strip());
            } catch (NumberFormatException e) {
                throw new InvalidDataException(
                        file, entry + ": .npy shape (" + shape.group(1) + ")");
            }
            elements = multiplied(file, entry, elements, n);
        }
        return multiplied(file, entry, elements, Long.parseLong(descr.group(3)));
    }

    private static long elements(Path file, String name, JsonArray shape)
            throws InvalidDataException {
        long n = 1;
        for (JsonElement dim : shape) {
            n = multiplied(file, name, n, dim.getAsLong());
        }
        return n;
    }

    private static long multiplied(Path file, String name, long a, long b)
            throws InvalidDataException {
        if (b < 0 || (b > 0 && a > MAX_ARRAY_BYTES / b)) {
            throw new InvalidDataException(
                    file,
                    name
                            + " declares more than "
                            + MAX_ARRAY_BYTES
                            + " bytes; that is not a weight");
        }
        return a * b;
    }

    private static long bounded(Path file, String name, long total, long bytes)
            throws InvalidDataException {
        if (bytes > MAX_ARRAY_BYTES || total + bytes > MAX_TOTAL_BYTES) {
            throw new InvalidDataException(
                    file, name + ": " + bytes + " bytes, more than weights of this lesson can be");
        }
        return total + bytes;
    }

    private static long dtypeBytes(Path file, String dtype) throws InvalidDataException {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> throw new InvalidDataException(file, "unknown safetensors dtype " + dtype);
        };
    }
}
