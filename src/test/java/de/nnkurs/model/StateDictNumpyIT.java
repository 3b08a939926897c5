package de.nnkurs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

import de.nnkurs.PythonSide;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** numpy reads the {@code .npz} the project writes as the same arrays, bit for bit. */
class StateDictNumpyIT {

    /** Prints, per array in the file's order: name, numpy dtype, shape, sha256 of its bytes. */
    private static final String NUMPY =
            "import hashlib, json, sys\n"
                    + "import numpy as np\n"
                    + "with np.load(sys.argv[1]) as z:\n"
                    + "    print(json.dumps([[k, z[k].dtype.str, list(z[k].shape),\n"
                    + "        hashlib.sha256(np.ascontiguousarray(z[k]).tobytes()).hexdigest()]\n"
                    + "        for k in z.files]))\n";

    @TempDir Path tmp;

    @Test
    void numpyLoadsTheWrittenNpzWithTheSameNamesShapesAndBits() throws Exception {
        String python = PythonSide.require();
        Path file = tmp.resolve("weights.npz");
        List<String> expected = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Models.sequential(Variant.SLIDES);
            Models.initialize(block, manager, 1);
            StateDict.save(block, file);
            for (Map.Entry<String, Parameter> e : StateDict.parameters(block).entrySet()) {
                float[] values = e.getValue().getArray().toFloatArray();
                expected.add(
                        List.of(
                                        e.getKey(),
                                        "<f4",
                                        Arrays.stream(e.getValue().getArray().getShape().getShape())
                                                .boxed()
                                                .toList(),
                                        sha256LittleEndian(values))
                                .toString());
            }
        }

        List<String> numpy = new ArrayList<>();
        for (var entry : numpyListing(python, file)) {
            JsonArray a = entry.getAsJsonArray();
            List<Long> shape = new ArrayList<>();
            a.get(2).getAsJsonArray().forEach(d -> shape.add(d.getAsLong()));
            numpy.add(
                    List.of(
                                    a.get(0).getAsString(),
                                    a.get(1).getAsString(),
                                    shape,
                                    a.get(3).getAsString())
                            .toString());
        }
        assertEquals(expected, numpy);
    }

    private static JsonArray numpyListing(String python, Path npz)
            throws IOException, InterruptedException {
        Path out = npz.resolveSibling("numpy.json");
        Process p =
                new ProcessBuilder(python, "-c", NUMPY, npz.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "numpy did not finish within 2 minutes");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return JsonParser.parseString(text).getAsJsonArray();
    }

    private static String sha256LittleEndian(float[] values) throws NoSuchAlgorithmException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }
}
