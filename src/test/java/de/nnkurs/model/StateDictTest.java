package de.nnkurs.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import de.nnkurs.Fixtures;
import de.nnkurs.Lesson;
import de.nnkurs.data.CourseTransform;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.data.MnistSplit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Weights under the slides' {@code state_dict} names, to and from npz and safetensors. */
class StateDictTest {

    @TempDir Path tmp;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Block small() {
        Block block =
                Models.sequential(
                        new Architecture(List.of(8, 8, 8), HiddenActivation.RELU, Variant.SLIDES));
        Models.initialize(block, manager, 1);
        return block;
    }

    private Block model(long seed) {
        Block block = Models.sequential(Variant.SLIDES);
        Models.initialize(block, manager, seed);
        return block;
    }

    @Test
    void namesFollowTheSequentialStateDict() {
        assertEquals(
                List.of(
                        "0.weight",
                        "0.bias",
                        "2.weight",
                        "2.bias",
                        "4.weight",
                        "4.bias",
                        "6.weight",
                        "6.bias"),
                List.copyOf(StateDict.parameters(model(1)).keySet()));
    }

    @Test
    void npzRoundTripIsBitExact() throws IOException {
        assertRoundTripIsBitExact(tmp.resolve("w.npz"));
    }

    @Test
    void safetensorsRoundTripIsBitExact() throws IOException {
        assertRoundTripIsBitExact(tmp.resolve("w.safetensors"));
    }

    private void assertRoundTripIsBitExact(Path file) throws IOException {
        Block source = model(1);
        Block target = model(2);
        StateDict.save(source, file);
        StateDict.load(target, file);
        Map<String, Parameter> a = StateDict.parameters(source);
        Map<String, Parameter> b = StateDict.parameters(target);
        for (String name : a.keySet()) {
            float[] expected = a.get(name).getArray().toFloatArray();
            float[] actual = b.get(name).getArray().toFloatArray();
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(
                        Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]));
            }
        }
    }

    /**
     * The slides' network with hidden layers 8-8-8, weights loaded from {@code state_dict.npz}:
     * {@code numpy.savez(**model.state_dict())} of PyTorch's {@code torch.manual_seed(0)} {@code
     * nn.Sequential(Linear(784, 8), ReLU(), …, Linear(8, 10), Softmax(dim=1))}, written by {@code
     * scripts/make_fixtures.py} (torch 1.13.1, numpy 1.24).
     */
    private Block loadedFromPyTorch() throws IOException {
        Block block =
                Models.sequential(
                        new Architecture(List.of(8, 8, 8), HiddenActivation.RELU, Variant.SLIDES));
        Models.initialize(block, manager, 1);
        StateDict.load(block, Fixtures.path("state_dict.npz"));
        return block;
    }

    @Test
    void aFortranOrderNpzFromNumpyLoadsTheSameWeightsAsTheCOrderOne() throws IOException {
        // numpy.savez of numpy.asfortranarray(...) of state_dict.npz (make_format_fixtures.py)
        Map<String, Parameter> expected = StateDict.parameters(loadedFromPyTorch());
        Block block = small();
        StateDict.load(block, Fixtures.path("formats/fortran_state_dict.npz"));
        assertSameValues(expected, StateDict.parameters(block));
    }

    @Test
    void aBfloat16SafetensorsLoadsAsTheFloat32ValuesNumpyComputed() throws IOException {
        // BF16 weights and F16 biases; what they are as float32 numpy wrote beside them (C order)
        Block block = small();
        StateDict.load(block, Fixtures.path("formats/bf16_state_dict.safetensors"));
        Map<String, NDArray> expected =
                Fixtures.npz("formats/bf16_state_dict_expected.npz", manager);
        Map<String, Parameter> loaded = StateDict.parameters(block);
        assertEquals(expected.keySet(), loaded.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(
                    expected.get(name).toFloatArray(),
                    loaded.get(name).getArray().toFloatArray(),
                    name);
        }
    }

    private static void assertSameValues(Map<String, Parameter> a, Map<String, Parameter> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(
                    a.get(name).getArray().toFloatArray(),
                    b.get(name).getArray().toFloatArray(),
                    name);
        }
    }

    @Test
    void loadsAStateDictThatNumpySavedFromPyTorchWithItsNamesShapesAndValues() throws IOException {
        // Names, shapes, sums and single entries as PyTorch reported them (state_dict.json).
        JsonObject pytorch = Fixtures.json("state_dict.json");
        Map<String, Parameter> loaded = StateDict.parameters(loadedFromPyTorch());
        List<String> names = new ArrayList<>();
        pytorch.getAsJsonArray("names").forEach(n -> names.add(n.getAsString()));
        assertEquals(names, List.copyOf(loaded.keySet()));
        for (String name : names) {
            NDArray array = loaded.get(name).getArray();
            long[] shape = longs(pytorch.getAsJsonObject("shapes").getAsJsonArray(name));
            assertEquals(new Shape(shape), array.getShape(), name);
            double sum = 0;
            for (float v : array.toFloatArray()) {
                sum += v;
            }
            assertEquals(pytorch.getAsJsonObject("sums").get(name).getAsDouble(), sum, 1e-9, name);
            for (JsonElement entry : pytorch.getAsJsonObject("entries").getAsJsonArray(name)) {
                // [[row, column], value]
                long[] at = longs(entry.getAsJsonArray().get(0).getAsJsonArray());
                float expected = entry.getAsJsonArray().get(1).getAsFloat();
                assertEquals(
                        Float.floatToIntBits(expected),
                        Float.floatToIntBits(array.getFloat(at)),
                        name + " " + Arrays.toString(at));
            }
        }
    }

    private static long[] longs(JsonArray array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsLong();
        }
        return values;
    }

    @Test
    void weightsLoadedFromPyTorchGivePyTorchsOutputForTheSameImages() throws IOException {
        // PyTorch's softmax output of that network for the 10 test images of mnist_tiny.npz.
        JsonArray pytorch = Fixtures.json("state_dict.json").getAsJsonArray("test_output");
        Block block = loadedFromPyTorch();
        MnistSplit test = Fixtures.tinyMnist().test();
        float[] pixels = new float[test.count() * Lesson.INPUT];
        CourseTransform.apply(test.pixels(), 0, pixels, 0, pixels.length);
        NDArray x = manager.create(pixels, new Shape(test.count(), Lesson.INPUT));
        float[] output =
                block.forward(new ParameterStore(manager, false), new NDList(x), false)
                        .head()
                        .toFloatArray();
        assertEquals(pytorch.size(), test.count());
        for (int i = 0; i < test.count(); i++) {
            float[] expected = Fixtures.floats(pytorch.get(i).getAsJsonArray());
            for (int k = 0; k < Lesson.OUTPUT; k++) {
                assertEquals(
                        expected[k], output[i * Lesson.OUTPUT + k], 1e-6, "image " + i + ", " + k);
            }
        }
    }

    @Test
    void loadingAMissingFileNamesIt() {
        Path missing = tmp.resolve("none.npz");
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> StateDict.load(model(1), missing));
        assertTrue(e.getMessage().contains("none.npz: no such file"), e.getMessage());
    }

    @Test
    void weightsOfTheWrongShapeAreRejectedNamingTheWeight() throws IOException {
        Path file = tmp.resolve("wrong.npz");
        NDList list = new NDList();
        StateDict.parameters(model(1))
                .forEach(
                        (name, p) -> {
                            Shape shape =
                                    name.equals("2.weight")
                                            ? new Shape(32, 64)
                                            : p.getArray().getShape();
                            NDArray a = manager.zeros(shape);
                            a.setName(name);
                            list.add(a);
                        });
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, NDList.Encoding.NPZ);
        }
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> StateDict.load(model(1), file));
        assertTrue(
                e.getMessage().contains("2.weight is float32 (32, 64), the model needs"),
                e.getMessage());
    }

    @Test
    void missingAndUnexpectedNamesAreListed() throws IOException {
        Path file = tmp.resolve("renamed.npz");
        NDList list = new NDList();
        StateDict.parameters(model(1))
                .forEach(
                        (name, p) -> {
                            NDArray a = p.getArray().duplicate();
                            a.setName(name.equals("6.bias") ? "fc4.bias" : name);
                            list.add(a);
                        });
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, NDList.Encoding.NPZ);
        }
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> StateDict.load(model(1), file));
        assertTrue(e.getMessage().contains("missing 6.bias; unexpected fc4.bias"), e.getMessage());
    }

    @Test
    void aFileThatIsNotWeightsIsRejected() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.npz"), "these are not weights at all");
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> StateDict.load(model(1), file));
        assertTrue(e.getMessage().contains("notes.npz"), e.getMessage());
    }

    @Test
    void aSafetensorsHeaderLongerThanTheFileIsRefusedBeforeAnythingIsAllocated()
            throws IOException {
        // 2·10⁹ declared header bytes, then a few bytes: DJL would try to allocate 2 GB.
        ByteBuffer b = ByteBuffer.allocate(8 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(2_000_000_000L).put("{\"a\":1}        ".getBytes(StandardCharsets.US_ASCII));
        Path file = Files.write(tmp.resolve("hostile.safetensors"), b.array());
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> StateDict.load(model(1), file));
        assertEquals(
                file + ": safetensors header declares 2000000000 bytes, but the file has 24",
                e.getMessage());
    }

    @Test
    void aSafetensorsTensorReachingPastTheDataIsRefused() throws IOException {
        String header =
                "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[20000,25000],"
                        + "\"data_offsets\":[0,2000000000]}}";
        byte[] json = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path file = Files.write(tmp.resolve("big.safetensors"), b.array());
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> StateDict.load(model(1), file));
        assertTrue(e.getMessage().startsWith(file + ": 0.weight declares"), e.getMessage());
    }

    @Test
    void anNpyDeclaringAHugeShapeIsRefusedBeforeAnythingIsAllocated() throws IOException {
        // (20000, 25000) float32 is 2 GB; the entry holds a few bytes.
        Path file = npz("(20000, 25000)");
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> StateDict.load(model(1), file));
        assertEquals(
                file + ": 0.weight.npy declares more than 268435456 bytes; that is not a weight",
                e.getMessage());
    }

    @Test
    void anNpyDeclaringMoreThanItsEntryHoldsIsRefused() throws IOException {
        Path file = npz("(1000, 100)"); // 400,000 bytes declared, 16 there
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> StateDict.load(model(1), file));
        assertTrue(
                e.getMessage()
                        .startsWith(file + ": 0.weight.npy declares an array of 400000 bytes"),
                e.getMessage());
    }

    /** An .npz with one array whose header declares {@code shape} but which holds 16 bytes. */
    private Path npz(String shape) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        byte[] header =
                (dict + " ".repeat(118 - dict.length()) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        npy.write(header.length & 0xff);
        npy.write(header.length >> 8);
        npy.write(header);
        npy.write(new byte[16]);
        Path file = tmp.resolve("hostile" + shape.hashCode() + ".npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("0.weight.npy"));
            zip.write(npy.toByteArray());
            zip.closeEntry();
        }
        return file;
    }

    @Test
    void failedLoadLeavesTheModelUntouched() throws IOException {
        Block block = model(1);
        float[] before = StateDict.parameters(block).get("0.weight").getArray().toFloatArray();
        Path file = tmp.resolve("half.npz");
        NDList list = new NDList();
        NDArray only = manager.zeros(new Shape(64, 784));
        only.setName("0.weight");
        list.add(only);
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, NDList.Encoding.NPZ);
        }
        assertThrows(InvalidDataException.class, () -> StateDict.load(block, file));
        assertArrayEquals(
                before, StateDict.parameters(block).get("0.weight").getArray().toFloatArray());
    }
}
