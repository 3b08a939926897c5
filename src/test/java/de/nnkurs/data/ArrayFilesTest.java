package de.nnkurs.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import de.nnkurs.Fixtures;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The npy/npz and safetensors readers against files numpy wrote ({@code
 * scripts/make_format_fixtures.py}): every dtype and layout read right, with the values numpy
 * reported; and hostile variants of each format refused in one line naming the file, the array and
 * the fact.
 */
class ArrayFilesTest {

    private static NDManager manager;

    @TempDir Path tmp;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void everyNpzDtypeAndLayoutIsReadAsNumpyReadsIt() throws IOException {
        // big- and little-endian, fortran and C order, 0-d, empty, float16, bool, int8 … uint8
        assertMatchesNumpy("npz/", ArrayFiles.read(Fixtures.path("formats/dtypes.npz"), manager));
    }

    @Test
    void everySafetensorsDtypeIsReadAsNumpyReadsIt() throws IOException {
        // BF16 is the upper half of a float32: widened exactly, as numpy's bit operations did
        Map<String, NDArray> arrays =
                ArrayFiles.read(Fixtures.path("formats/dtypes.safetensors"), manager);
        assertEquals(DataType.FLOAT32, arrays.get("bf16").getDataType());
        assertEquals(DataType.FLOAT32, arrays.get("f16").getDataType());
        assertMatchesNumpy("safetensors/", arrays);
    }

    private static void assertMatchesNumpy(String prefix, Map<String, NDArray> arrays) {
        JsonObject facts = Fixtures.json("formats/dtypes.json");
        int checked = 0;
        for (Map.Entry<String, JsonElement> e : facts.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String name = e.getKey().substring(prefix.length());
            NDArray a = arrays.get(name);
            assertTrue(a != null, name + " missing");
            JsonObject fact = e.getValue().getAsJsonObject();
            long[] shape = new long[fact.getAsJsonArray("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = fact.getAsJsonArray("shape").get(i).getAsLong();
            }
            assertEquals(new Shape(shape), a.getShape(), name);
            JsonArray values = fact.getAsJsonArray("values");
            assertEquals(values.size(), a.size(), name);
            if (a.getDataType() == DataType.BOOLEAN) {
                boolean[] got = a.toBooleanArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(values.get(i).getAsBoolean(), got[i], name + "[" + i + "]");
                }
            } else if (a.getDataType().isFloating()) {
                double[] got = a.toType(DataType.FLOAT64, false).toDoubleArray();
                for (int i = 0; i < got.length; i++) {
                    double want = values.get(i).getAsDouble();
                    if (a.getDataType() == DataType.FLOAT32) {
                        want = (float) want;
                    }
                    assertEquals(
                            Double.doubleToRawLongBits(want),
                            Double.doubleToRawLongBits(got[i]),
                            name + "[" + i + "]: " + want + " vs " + got[i]);
                }
            } else {
                long[] got = a.toType(DataType.INT64, false).toLongArray();
                for (int i = 0; i < got.length; i++) {
                    long want = values.get(i).getAsLong();
                    assertEquals(want, got[i], name + "[" + i + "]");
                }
            }
            checked++;
        }
        assertTrue(checked >= 10, "only " + checked + " arrays checked");
    }

    @Test
    void halfPrecisionIsWidenedExactly() {
        assertEquals(1.0f, ArrayFiles.halfToFloat((short) 0x3c00));
        assertEquals(65504.0f, ArrayFiles.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, ArrayFiles.halfToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(-0.0f, ArrayFiles.halfToFloat((short) 0x8000));
        assertEquals(Float.NEGATIVE_INFINITY, ArrayFiles.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(ArrayFiles.halfToFloat((short) 0x7e00)));
    }

    // ------------------------------------------------------------ hostile safetensors

    @Test
    void safetensorsDtypesThatCannotBeReadRightAreRefusedNamingTheTensor() throws IOException {
        refused(
                st("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2),
                "a has dtype F8_E4M3, which cannot be read here (readable: F64, F32, F16, BF16,"
                        + " I64, I32, I16, I8, U8, BOOL)");
        refused(
                st("{\"a\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2),
                "a has dtype U16, which cannot be read here");
        refused(
                st("{\"a\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2),
                "a has dtype 'Q7', which is not a safetensors dtype");
    }

    @Test
    void safetensorsOffsetsMustCoverTheBufferExactlyWithoutHolesOrOverlaps() throws IOException {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        refused(st("{" + a + "}", 8), "bytes 4..8 of the data belong to no tensor");
        refused(
                st(
                        "{"
                                + a
                                + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
                        12),
                "bytes 4..8 of the data belong to no tensor (a hole before b)");
        refused(
                st("{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "overlaps the tensor before it");
        refused(
                st("{\"a\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,4]}}", 4),
                "a declares shape (3) of BF16, 6 bytes, but its data_offsets span 4");
        refused(
                st("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4),
                "a has data_offsets [4, 0], not a range of the data");
    }

    @Test
    void safetensorsHeadersOutsideTheFormatAreRefused() throws IOException {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        refused(st("{" + a + "," + a + "}", 4), "the safetensors header names a twice");
        refused(
                st("{\"__metadata__\":{\"k\":1}," + a + "}", 4),
                "__metadata__ k is not a string, as the format requires");
        refused(st(" {" + a + "}", 4), "the safetensors header does not start with '{'");
        refused(st("{" + a + "", 4), "is not valid JSON of the format");
        refused(
                st("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4),
                "a lacks dtype, shape or data_offsets");
        // metadata strings and space padding are the format's own
        Map<String, NDArray> ok =
                ArrayFiles.read(st("{\"__metadata__\":{\"k\":\"v\"}," + a + "}   ", 4), manager);
        assertEquals(Shape.update(new Shape(1), 0, 1), ok.get("a").getShape());
    }

    private void refused(Path file, String fact) {
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ArrayFiles.read(file, manager));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fact), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private int count;

    private Path st(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b =
                ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        return Files.write(tmp.resolve("t" + count++ + ".safetensors"), b.array());
    }

    // ------------------------------------------------------------ hostile npz

    @Test
    void npyHeadersOutsideTheFormatAreRefusedNamingTheEntry() throws IOException {
        String ok = "'descr': '<f4', 'fortran_order': False, 'shape': (2,)";
        refused(
                npz("a.npy", 1, "{" + ok + ", 'extra': 1}", 8),
                "a.npy: the .npy header has the"
                        + " key 'extra'; the format's keys are descr, fortran_order and shape");
        refused(
                npz(
                        "a.npy",
                        1,
                        "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (2,)}",
                        8),
                "a.npy: the .npy header descr is not a string: a structured dtype");
        refused(
                npz("a.npy", 1, "{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}", 16),
                "a.npy: descr '<c8' cannot be read here");
        refused(
                npz("a.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", 8),
                "a.npy: the .npy header shape is not a tuple of integers");
        refused(
                npz("a.npy", 1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", 8),
                "a.npy: the .npy header fortran_order is not True or False");
        refused(npz("a.npy", 4, "{" + ok + "}", 8), "a.npy: .npy format version 4.0");
        refused(npz("a.npy", 1, "{" + ok + "}", 12), "a.npy holds");
        refused(npz("a.txt", 1, "{" + ok + "}", 8), "entry a.txt is not an .npy array");
        refused(
                npz("a.npy", 1, "{'descr': '|f4', 'fortran_order': False, 'shape': (2,)}", 8),
                "a.npy: descr '|f4' has no byte order");
    }

    @Test
    void npyVersions2And3HaveFourByteHeaderLengths() throws IOException {
        for (int version : new int[] {2, 3}) {
            Path file =
                    npz(
                            "a.npy",
                            version,
                            "{'descr': '>i4', 'fortran_order': True, 'shape': (2, 2), }",
                            16);
            NDArray a = ArrayFiles.read(file, manager).get("a");
            assertEquals(new Shape(2, 2), a.getShape());
            assertArrayEquals(new int[] {0, 0, 0, 0}, a.toIntArray());
        }
    }

    private Path npz(String entry, int version, String dict, int dataBytes) throws IOException {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        npy.write(header.length & 0xff);
        npy.write(header.length >> 8);
        if (version > 1) {
            npy.write(new byte[2]);
        }
        npy.write(header);
        npy.write(new byte[dataBytes]);
        Path file = tmp.resolve("n" + count++ + ".npz");
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(npy.toByteArray());
            zip.closeEntry();
        }
        return file;
    }
}
