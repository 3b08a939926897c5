package de.nnkurs.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads named arrays from an {@code .npz} (numpy's zip of {@code .npy} arrays) or a {@code
 * .safetensors} file, following each format's specification rather than DJL's decoders: the npy
 * format's versions 1.0, 2.0 and 3.0, its header dictionary ({@code descr}, {@code fortran_order},
 * {@code shape}), both byte orders and fortran order (transposed on reading); safetensors' header
 * length, JSON header, {@code __metadata__}, dtypes and data offsets that cover the byte buffer
 * exactly. bfloat16 and float16 are widened to float32 (exactly); a dtype that cannot be read right
 * is refused. Every declared size is checked against the file and a sane bound before anything is
 * allocated, and every refusal is one line naming the file, the array and the fact.
 */
public final class ArrayFiles {

    /** The largest array accepted: 2²⁶ floats (256 MB), far above the widest allowed layer. */
    public static final long MAX_ARRAY_BYTES = 1L << 28;

    /** The largest whole file accepted, summed over all arrays. */
    public static final long MAX_TOTAL_BYTES = 1L << 30;

    /** The largest safetensors header accepted. */
    static final long MAX_HEADER_BYTES = 1L << 20;

    /** The largest npy header accepted (numpy itself refuses more than 10,000 bytes by default). */
    static final long MAX_NPY_HEADER_BYTES = 1L << 16;

    /** The most arrays one file may hold. */
    static final int MAX_ARRAYS = 100_000;

    private ArrayFiles() {}

    /** An element type on disk and what it becomes in memory. */
    private enum Element {
        F64(8, DataType.FLOAT64),
        F32(4, DataType.FLOAT32),
        F16(2, DataType.FLOAT32),
        BF16(2, DataType.FLOAT32),
        I64(8, DataType.INT64),
        I32(4, DataType.INT32),
        I16(2, DataType.INT32),
        I8(1, DataType.INT8),
        U8(1, DataType.UINT8),
        BOOL(1, DataType.BOOLEAN);

        final int bytes;
        final DataType type;

        Element(int bytes, DataType type) {
            this.bytes = bytes;
            this.type = type;
        }
    }

    /** One array's declaration: where its bytes are and how to read them. */
    private record Spec(
            String name,
            String where,
            Element element,
            long[] shape,
            long elements,
            boolean fortran,
            ByteOrder order,
            long offset,
            long end) {}

    /**
     * Reads every named array of a {@code .npz} or {@code .safetensors} file, in the file's order.
     *
     * @param file the file; the format follows the extension
     * @param manager the manager that will own the arrays
     * @return name → array (npz entries without their {@code .npy})
     * @throws InvalidDataException in one line naming the file, the array and what is wrong
     * @throws IOException if reading fails
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file, "no such file");
        }
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".safetensors")) {
            return readSafetensors(file, manager);
        }
        if (lower.endsWith(".npz")) {
            return readNpz(file, manager);
        }
        throw new InvalidDataException(file, "not an .npz or .safetensors file");
    }

    // ---------------------------------------------------------------- safetensors

    private static Map<String, NDArray> readSafetensors(Path file, NDManager manager)
            throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            if (size < 8) {
                throw new InvalidDataException(
                        file, "truncated: " + size + " bytes, no safetensors header");
            }
            long headerLength = readAt(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 2 || headerLength > size - 8 || headerLength > MAX_HEADER_BYTES) {
                throw new InvalidDataException(
                        file,
                        String.format(
                                Locale.ROOT,
                                "safetensors header declares %s bytes, but the file has %d",
                                Long.toUnsignedString(headerLength),
                                size));
            }
            ByteBuffer headerBytes = readAt(ch, 8, (int) headerLength);
            if (headerBytes.get(0) != '{') {
                throw new InvalidDataException(
                        file, "the safetensors header does not start with '{'");
            }
            String header;
            try {
                header =
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)
                                .decode(headerBytes)
                                .toString();
            } catch (CharacterCodingException e) {
                throw new InvalidDataException(file, "the safetensors header is not UTF-8");
            }
            long dataStart = 8 + headerLength;
            List<Spec> specs = safetensorsHeader(file, header);
            checkSafetensorsLayout(file, specs, size - dataStart);
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (Spec s : specs) {
                ByteBuffer raw = readAt(ch, dataStart + s.offset(), (int) bytes(s));
                arrays.put(s.name(), create(manager, s, raw));
            }
            return arrays;
        } catch (EOFException e) {
            throw new InvalidDataException(file, "ended while it was read: it changed meanwhile");
        }
    }

    private static List<Spec> safetensorsHeader(Path file, String header)
            throws InvalidDataException {
        List<Spec> specs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String at = "the safetensors header";
        try (JsonReader json = new JsonReader(new StringReader(header))) {
            json.setStrictness(Strictness.STRICT);
            json.beginObject();
            while (json.hasNext()) {
                String name = json.nextName();
                at = name;
                if (!seen.add(name)) {
                    throw new InvalidDataException(
                            file, "the safetensors header names " + name + " twice");
                }
                if (seen.size() > MAX_ARRAYS) {
                    throw new InvalidDataException(file, "more than " + MAX_ARRAYS + " tensors");
                }
                if (name.equals("__metadata__")) {
                    metadata(file, json);
                } else {
                    specs.add(tensor(file, name, json));
                }
            }
            json.endObject();
            if (json.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedJsonException("more after the header's object");
            }
        } catch (InvalidDataException e) {
            throw e;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new InvalidDataException(
                    file,
                    (at.equals("the safetensors header") ? at : at + " in the safetensors header")
                            + " is not valid JSON of the format ("
                            + JsonProblems.describe(e)
                            + ")");
        }
        return specs;
    }

    private static void metadata(Path file, JsonReader json) throws IOException {
        if (json.peek() != JsonToken.BEGIN_OBJECT) {
            throw new InvalidDataException(file, "__metadata__ is not a map of strings");
        }
        json.beginObject();
        while (json.hasNext()) {
            String key = json.nextName();
            if (json.peek() != JsonToken.STRING) {
                throw new InvalidDataException(
                        file, "__metadata__ " + key + " is not a string, as the format requires");
            }
            json.nextString();
        }
        json.endObject();
    }

    private static Spec tensor(Path file, String name, JsonReader json) throws IOException {
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        Set<String> keys = new HashSet<>();
        json.beginObject();
        while (json.hasNext()) {
            String key = json.nextName();
            if (!keys.add(key)) {
                throw new InvalidDataException(file, name + " names " + key + " twice");
            }
            switch (key) {
                case "dtype" -> dtype = json.nextString();
                case "shape" -> shape = longs(json);
                case "data_offsets" -> offsets = longs(json);
                default -> json.skipValue();
            }
        }
        json.endObject();
        if (dtype == null || shape == null || offsets == null) {
            throw new InvalidDataException(
                    file, name + " lacks dtype, shape or data_offsets: not a safetensors entry");
        }
        if (offsets.length != 2) {
            throw new InvalidDataException(
                    file, name + " has " + offsets.length + " data_offsets, not [begin, end]");
        }
        Element element = safetensorsElement(file, name, dtype);
        long elements = elements(file, name, shape, element);
        return new Spec(
                name,
                name,
                element,
                shape,
                elements,
                false,
                ByteOrder.LITTLE_ENDIAN,
                offsets[0],
                offsets[1]);
    }

    private static Element safetensorsElement(Path file, String name, String dtype)
            throws InvalidDataException {
        return switch (dtype) {
            case "F64" -> Element.F64;
            case "F32" -> Element.F32;
            case "F16" -> Element.F16;
            case "BF16" -> Element.BF16;
            case "I64" -> Element.I64;
            case "I32" -> Element.I32;
            case "I16" -> Element.I16;
            case "I8" -> Element.I8;
            case "U8" -> Element.U8;
            case "BOOL" -> Element.BOOL;
            case "U16",
                    "U32",
                    "U64",
                    "F8_E5M2",
                    "F8_E4M3",
                    "F8_E8M0",
                    "F6_E2M3",
                    "F6_E3M2",
                    "F4",
                    "C64" ->
                    throw new InvalidDataException(
                            file,
                            name
                                    + " has dtype "
                                    + dtype
                                    + ", which cannot be read here (readable: F64, F32, F16, BF16,"
                                    + " I64, I32, I16, I8, U8, BOOL)");
            default ->
                    throw new InvalidDataException(
                            file,
                            name
                                    + " has dtype "
                                    + quoted(dtype)
                                    + ", which is not a safetensors dtype");
        };
    }

    private static void checkSafetensorsLayout(Path file, List<Spec> specs, long dataLength)
            throws InvalidDataException {
        long total = 0;
        for (Spec s : specs) {
            long bytes = bytes(s);
            if (s.offset() < 0 || s.end() < s.offset()) {
                throw new InvalidDataException(
                        file,
                        String.format(
                                Locale.ROOT,
                                "%s has data_offsets [%d, %d], not a range of the data",
                                s.name(),
                                s.offset(),
                                s.end()));
            }
            if (s.end() > dataLength) {
                throw new InvalidDataException(
                        file,
                        String.format(
                                Locale.ROOT,
                                "%s declares bytes %d..%d, but the data holds %d bytes",
                                s.name(),
                                s.offset(),
                                s.end(),
                                dataLength));
            }
            if (s.end() - s.offset() != bytes) {
                throw new InvalidDataException(
                        file,
                        String.format(
                                Locale.ROOT,
                                "%s declares shape %s of %s, %d bytes, but its data_offsets span"
                                        + " %d",
                                s.name(),
                                new Shape(s.shape()),
                                s.element(),
                                bytes,
                                s.end() - s.offset()));
            }
            total = bounded(file, s.name(), total, s.elements() * s.element().type.getNumOfBytes());
        }
        List<Spec> byOffset = new ArrayList<>(specs);
        byOffset.sort(Comparator.comparingLong(Spec::offset).thenComparingLong(Spec::end));
        long expected = 0;
        for (Spec s : byOffset) {
            if (s.offset() > expected) {
                throw new InvalidDataException(
                        file,
                        String.format(
                                Locale.ROOT,
                                "bytes %d..%d of the data belong to no tensor (a hole before %s)",
                                expected,
                                s.offset(),
                                s.name()));
            }
            if (s.offset() < expected) {
                throw new InvalidDataException(
                        file,
                        String.format(
                                Locale.ROOT,
                                "%s at bytes %d..%d overlaps the tensor before it",
                                s.name(),
                                s.offset(),
                                s.end()));
            }
            expected = s.end();
        }
        if (expected != dataLength) {
            throw new InvalidDataException(
                    file,
                    String.format(
                            Locale.ROOT,
                            "bytes %d..%d of the data belong to no tensor",
                            expected,
                            dataLength));
        }
    }

    private static long[] longs(JsonReader json) throws IOException {
        List<Long> values = new ArrayList<>();
        json.beginArray();
        while (json.hasNext()) {
            if (values.size() >= 64) {
                throw new MalformedJsonException("more than 64 numbers in a shape or offsets");
            }
            values.add(json.nextLong());
        }
        json.endArray();
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    // ---------------------------------------------------------------- npz

    private static Map<String, NDArray> readNpz(Path file, NDManager manager) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException | EOFException e) {
            throw new InvalidDataException(
                    file, "not a zip archive, so not an .npz (" + reason(e) + ")");
        }
        try (zip) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            if (entries.size() > MAX_ARRAYS) {
                throw new InvalidDataException(
                        file, entries.size() + " entries, more than " + MAX_ARRAYS);
            }
            List<Spec> specs = new ArrayList<>();
            Set<String> names = new HashSet<>();
            long total = 0;
            for (ZipEntry entry : entries) {
                String where = entry.getName();
                if (entry.isDirectory() || !where.endsWith(".npy")) {
                    throw new InvalidDataException(
                            file, "entry " + where + " is not an .npy array (NAME.npy)");
                }
                String name = where.substring(0, where.length() - 4);
                if (!names.add(name)) {
                    throw new InvalidDataException(file, "holds " + where + " twice");
                }
                long declared = entry.getSize();
                if (declared < 0 || declared > MAX_ARRAY_BYTES + MAX_NPY_HEADER_BYTES + 16) {
                    throw new InvalidDataException(
                            file,
                            where
                                    + " declares "
                                    + declared
                                    + " bytes unpacked; at most "
                                    + (MAX_ARRAY_BYTES + MAX_NPY_HEADER_BYTES + 16)
                                    + " are accepted");
                }
                Spec s;
                try (InputStream in = zip.getInputStream(entry)) {
                    s = npyHeader(file, where, name, in);
                } catch (InvalidDataException e) {
                    throw e;
                } catch (IOException e) {
                    throw new InvalidDataException(
                            file, where + ": damaged zip entry (" + reason(e) + ")");
                }
                long bytes = bytes(s);
                if (s.offset() + bytes > declared) {
                    throw new InvalidDataException(
                            file,
                            String.format(
                                    Locale.ROOT,
                                    "%s declares an array of %d bytes in an entry of %d",
                                    where,
                                    bytes,
                                    declared));
                }
                if (s.offset() + bytes < declared) {
                    throw new InvalidDataException(
                            file,
                            String.format(
                                    Locale.ROOT,
                                    "%s holds %d bytes, but its header and shape %s of %s account"
                                            + " for %d",
                                    where,
                                    declared,
                                    new Shape(s.shape()),
                                    s.element(),
                                    s.offset() + bytes));
                }
                total =
                        bounded(
                                file,
                                where,
                                total,
                                s.elements() * s.element().type.getNumOfBytes());
                specs.add(s);
            }
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (int i = 0; i < specs.size(); i++) {
                Spec s = specs.get(i);
                byte[] raw;
                try (InputStream in = zip.getInputStream(entries.get(i))) {
                    in.skipNBytes(s.offset());
                    raw = in.readNBytes((int) bytes(s));
                } catch (IOException e) {
                    throw new InvalidDataException(
                            file, s.where() + ": damaged zip entry (" + reason(e) + ")");
                }
                if (raw.length != bytes(s)) {
                    throw new InvalidDataException(
                            file,
                            s.where()
                                    + ": data ends after "
                                    + raw.length
                                    + " of "
                                    + bytes(s)
                                    + " bytes");
                }
                arrays.put(s.name(), create(manager, s, ByteBuffer.wrap(raw)));
            }
            return arrays;
        }
    }

    /** Reads an .npy header (format versions 1.0, 2.0, 3.0) up to the first byte of data. */
    private static Spec npyHeader(Path file, String where, String name, InputStream in)
            throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8
                || (magic[0] & 0xff) != 0x93
                || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new InvalidDataException(
                    file, where + ": not an .npy array (no \\x93NUMPY magic)");
        }
        int major = magic[6] & 0xff;
        int minor = magic[7] & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new InvalidDataException(
                    file,
                    where
                            + ": .npy format version "
                            + major
                            + "."
                            + minor
                            + "; the format has 1.0, 2.0 and 3.0");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lb = in.readNBytes(lengthBytes);
        if (lb.length < lengthBytes) {
            throw new InvalidDataException(file, where + ": ends inside the .npy header");
        }
        long headerLength =
                major == 1
                        ? ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff
                        : ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        if (headerLength > MAX_NPY_HEADER_BYTES) {
            throw new InvalidDataException(
                    file,
                    where
                            + ": .npy header declares "
                            + headerLength
                            + " bytes, more than "
                            + MAX_NPY_HEADER_BYTES);
        }
        byte[] h = in.readNBytes((int) headerLength);
        if (h.length < headerLength) {
            throw new InvalidDataException(file, where + ": ends inside the .npy header");
        }
        String text;
        if (major == 3) {
            try {
                text =
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .decode(ByteBuffer.wrap(h))
                                .toString();
            } catch (CharacterCodingException e) {
                throw new InvalidDataException(file, where + ": .npy 3.0 header is not UTF-8");
            }
        } else {
            text = new String(h, StandardCharsets.ISO_8859_1);
        }
        NpyHeader header = NpyHeader.parse(file, where, text);
        Element element = npyElement(file, where, header.descr);
        ByteOrder order =
                header.descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long elements = elements(file, where, header.shape, element);
        return new Spec(
                name,
                where,
                element,
                header.shape,
                elements,
                header.fortran,
                order,
                8 + lengthBytes + headerLength,
                -1);
    }

    private static Element npyElement(Path file, String where, String descr)
            throws InvalidDataException {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("([<>|=]?)([a-zA-Z])(\\d{1,2})").matcher(descr);
        Element e = null;
        if (m.matches()) {
            int size = Integer.parseInt(m.group(3));
            e =
                    switch (m.group(2) + size) {
                        case "f8" -> Element.F64;
                        case "f4" -> Element.F32;
                        case "f2" -> Element.F16;
                        case "i8" -> Element.I64;
                        case "i4" -> Element.I32;
                        case "i2" -> Element.I16;
                        case "i1" -> Element.I8;
                        case "u1" -> Element.U8;
                        case "b1" -> Element.BOOL;
                        default -> null;
                    };
            if (e != null && e.bytes > 1 && m.group(1).equals("|")) {
                throw new InvalidDataException(
                        file, where + ": descr " + quoted(descr) + " has no byte order");
            }
        }
        if (e == null) {
            throw new InvalidDataException(
                    file,
                    where
                            + ": descr "
                            + quoted(descr)
                            + " cannot be read here (readable: float 8/4/2, int 8/4/2/1, uint8,"
                            + " bool)");
        }
        return e;
    }

    /** The header dictionary of an .npy: a Python literal with exactly three keys. */
    private static final class NpyHeader {
        private final Path file;
        private final String where;
        private final String text;
        private int pos;
        String descr;
        Boolean fortran;
        long[] shape;

        private NpyHeader(Path file, String where, String text) {
            this.file = file;
            this.where = where;
            this.text = text;
        }

        static NpyHeader parse(Path file, String where, String text) throws InvalidDataException {
            NpyHeader h = new NpyHeader(file, where, text);
            h.dict();
            return h;
        }

        private void dict() throws InvalidDataException {
            Set<String> keys = new HashSet<>();
            expect('{');
            while (true) {
                space();
                if (peek() == '}') {
                    break;
                }
                String key = string();
                if (!keys.add(key)) {
                    throw fail("names " + key + " twice");
                }
                space();
                expect(':');
                space();
                switch (key) {
                    case "descr" -> {
                        if (peek() != '\'' && peek() != '"') {
                            throw fail(
                                    "descr is not a string: a structured dtype, not an array of"
                                            + " numbers");
                        }
                        descr = string();
                    }
                    case "fortran_order" -> fortran = bool();
                    case "shape" -> shape = tuple();
                    default ->
                            throw fail(
                                    "has the key "
                                            + quoted(key)
                                            + "; the format's keys are descr, fortran_order and"
                                            + " shape");
                }
                space();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw fail("expected , or } at character " + pos);
                }
            }
            pos++;
            space();
            if (pos != text.length()) {
                throw fail("more after the dictionary at character " + pos);
            }
            if (descr == null || fortran == null || shape == null) {
                throw fail("lacks descr, fortran_order or shape");
            }
        }

        private String string() throws InvalidDataException {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw fail("expected a quoted string at character " + pos);
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0 || text.substring(pos + 1, end).indexOf('\\') >= 0) {
                throw fail("has an unterminated or escaped string at character " + pos);
            }
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s;
        }

        private boolean bool() throws InvalidDataException {
            if (text.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw fail("fortran_order is not True or False");
        }

        private long[] tuple() throws InvalidDataException {
            if (peek() != '(') {
                throw fail("shape is not a tuple of integers");
            }
            pos++;
            List<Long> dims = new ArrayList<>();
            boolean comma = false;
            while (true) {
                space();
                if (peek() == ')') {
                    break;
                }
                int start = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                if (start == pos || pos - start > 18 || dims.size() >= 64) {
                    throw fail("shape is not a tuple of integers (at character " + start + ")");
                }
                dims.add(Long.parseLong(text.substring(start, pos)));
                space();
                comma = peek() == ',';
                if (comma) {
                    pos++;
                } else if (peek() != ')') {
                    throw fail("shape is not a tuple of integers (at character " + pos + ")");
                }
            }
            pos++;
            if (dims.size() == 1 && !comma) {
                // (3) is the integer 3 in Python, not a tuple
                throw fail("shape is not a tuple of integers");
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private void expect(char c) throws InvalidDataException {
            space();
            if (peek() != c) {
                throw fail("is not a dictionary: expected " + c + " at character " + pos);
            }
            pos++;
        }

        private void space() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private InvalidDataException fail(String what) {
            return new InvalidDataException(file, where + ": the .npy header " + what);
        }
    }

    // ---------------------------------------------------------------- common

    private static long elements(Path file, String name, long[] shape, Element element)
            throws InvalidDataException {
        long n = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new InvalidDataException(
                        file, name + " has a negative dimension in its shape");
            }
            if (dim > 0 && n > MAX_ARRAY_BYTES / dim) {
                throw tooLarge(file, name);
            }
            n *= dim;
        }
        if (n > MAX_ARRAY_BYTES / Math.max(element.bytes, element.type.getNumOfBytes())) {
            throw tooLarge(file, name);
        }
        return n;
    }

    private static InvalidDataException tooLarge(Path file, String name) {
        return new InvalidDataException(
                file,
                name + " declares more than " + MAX_ARRAY_BYTES + " bytes; that is not a weight");
    }

    private static long bounded(Path file, String name, long total, long bytes)
            throws InvalidDataException {
        if (total + bytes > MAX_TOTAL_BYTES) {
            throw new InvalidDataException(
                    file,
                    "arrays up to "
                            + name
                            + " hold more than "
                            + MAX_TOTAL_BYTES
                            + " bytes, more than weights of this lesson can be");
        }
        return total + bytes;
    }

    private static long bytes(Spec s) {
        return s.elements() * s.element().bytes;
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new EOFException();
            }
        }
        return b.flip();
    }

    /** Converts the file's bytes to a C-order array in native byte order of the output type. */
    private static NDArray create(NDManager manager, Spec s, ByteBuffer raw) {
        Element e = s.element();
        raw.order(s.order());
        int n = (int) s.elements();
        ByteBuffer out =
                ByteBuffer.allocateDirect(n * e.type.getNumOfBytes())
                        .order(ByteOrder.nativeOrder());
        long[] shape = s.shape();
        boolean fortran = s.fortran() && shape.length > 1;
        if (!fortran
                && e.type.getNumOfBytes() == e.bytes
                && e != Element.BOOL
                && (e.bytes == 1 || s.order() == ByteOrder.nativeOrder())) {
            out.put(raw);
        } else if (!fortran) {
            for (int i = 0; i < n; i++) {
                copy(e, raw, i, out);
            }
        } else {
            // C order visits the last index fastest; in fortran order the first one is contiguous.
            int d = shape.length;
            long[] stride = new long[d];
            stride[0] = 1;
            for (int k = 1; k < d; k++) {
                stride[k] = stride[k - 1] * shape[k - 1];
            }
            long[] index = new long[d];
            long source = 0;
            for (int i = 0; i < n; i++) {
                copy(e, raw, (int) source, out);
                for (int k = d - 1; k >= 0; k--) {
                    index[k]++;
                    source += stride[k];
                    if (index[k] < shape[k]) {
                        break;
                    }
                    source -= stride[k] * index[k];
                    index[k] = 0;
                }
            }
        }
        out.rewind();
        NDArray array = manager.create(out, new Shape(shape), e.type);
        array.setName(s.name());
        return array;
    }

    private static void copy(Element e, ByteBuffer raw, int j, ByteBuffer out) {
        switch (e) {
            case F64 -> out.putDouble(raw.getDouble(j * 8));
            case F32 -> out.putFloat(raw.getFloat(j * 4));
            case F16 -> out.putFloat(halfToFloat(raw.getShort(j * 2)));
            case BF16 -> out.putFloat(Float.intBitsToFloat((raw.getShort(j * 2) & 0xffff) << 16));
            case I64 -> out.putLong(raw.getLong(j * 8));
            case I32 -> out.putInt(raw.getInt(j * 4));
            case I16 -> out.putInt(raw.getShort(j * 2));
            case I8, U8 -> out.put(raw.get(j));
            case BOOL -> out.put(raw.get(j) != 0 ? (byte) 1 : (byte) 0);
        }
    }

    /** IEEE 754 binary16 → float32, exactly (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float f = mantissa * 0x1p-24f; // zero or subnormal
            return sign != 0 ? -f : f;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String quoted(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
