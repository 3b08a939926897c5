package de.nnkurs.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import de.nnkurs.PythonSide;
import de.nnkurs.RealMnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The Python side of the comparison refuses bad inputs naming the file (needs torch). */
class CompareScriptIT {

    @TempDir Path tmp;

    private Scripts.Run run(Map<String, String> env, String... command) throws Exception {
        return Scripts.run(tmp, env, command);
    }

    @Test
    void pythonSideRejectsWeightsOfTheWrongShapeNamingTheFile() throws Exception {
        String python = PythonSide.require();
        Path weights = tmp.resolve("wrong.npz");
        try (NDManager m = NDManager.newBaseManager();
                OutputStream out = Files.newOutputStream(weights)) {
            NDArray w = m.zeros(new Shape(32, 784));
            w.setName("0.weight");
            new NDList(w).encode(out, NDList.Encoding.NPZ);
        }
        Scripts.Run r =
                run(
                        Map.of(),
                        python,
                        "scripts/slides_mnist.py",
                        "--data-dir",
                        RealMnist.dir().toString(),
                        "--epochs",
                        "1",
                        "--max-batches",
                        "1",
                        "--init",
                        weights.toString());
        assertTrue(r.code() != 0, r.output());
        List<String> lines = r.output().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(
                last.startsWith("slides_mnist.py: " + weights + ": weights do not fit the model"),
                r.output());
    }

    @Test
    void pythonSideRejectsAMissingOrderFile() throws Exception {
        String python = PythonSide.require();
        Scripts.Run r =
                run(
                        Map.of(),
                        python,
                        "scripts/slides_mnist.py",
                        "--order",
                        tmp.resolve("none.npz").toString());
        assertEquals(2, r.code(), r.output());
        assertTrue(
                r.output().contains("--order " + tmp.resolve("none.npz") + ": no such file"),
                r.output());
    }
}
