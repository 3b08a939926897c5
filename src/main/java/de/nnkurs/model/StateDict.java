package de.nnkurs.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;

import de.nnkurs.data.ArrayFiles;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.io.AtomicFile;
import de.nnkurs.io.FileChecks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The weights of the sequential model under the names of the slides' {@code nn.Sequential} {@code
 * state_dict}: {@code 0.weight}, {@code 0.bias}, {@code 2.weight}, … {@code 6.bias}, as {@code
 * .npz} or {@code .safetensors}, so that Python loads them with {@code load_state_dict}.
 */
public final class StateDict {

    private StateDict() {}

    /**
     * Returns the block's parameters keyed by their {@code state_dict} names.
     *
     * @param block a {@link SequentialBlock} as built by {@code Models.sequential}
     * @return name → parameter, in order
     */
    public static Map<String, Parameter> parameters(Block block) {
        if (!(block instanceof SequentialBlock)) {
            throw new IllegalArgumentException(
                    "state_dict names need the nn.Sequential style model");
        }
        Map<String, Parameter> named = new LinkedHashMap<>();
        int index = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            for (Pair<String, Parameter> p : child.getValue().getDirectParameters()) {
                named.put(index + "." + p.getKey(), p.getValue());
            }
            index++;
        }
        return named;
    }

    /**
     * Writes the weights atomically; the format follows the extension.
     *
     * @param block the initialised sequential model
     * @param file a {@code .npz} or {@code .safetensors} path
     * @throws IOException if writing fails
     */
    public static void save(Block block, Path file) throws IOException {
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters(block).entrySet()) {
            named.put(e.getKey(), e.getValue().getArray());
        }
        write(file, named);
    }

    /**
     * Writes named arrays atomically, e.g. weights or an optimizer's state; the format follows the
     * extension.
     *
     * @param file a {@code .npz} or {@code .safetensors} path
     * @param arrays name → array, in the order to write
     * @throws IOException if writing fails; an earlier file is then kept
     */
    public static void write(Path file, Map<String, NDArray> arrays) throws IOException {
        NDList.Encoding encoding = encodingOf(file);
        NDList list = new NDList();
        try (NDManager sub = NDManager.newBaseManager()) {
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                NDArray copy = e.getValue().duplicate();
                copy.attach(sub);
                copy.setName(e.getKey());
                list.add(copy);
            }
            AtomicFile.write(file, out -> list.encode(out, encoding));
        }
    }

    /**
     * Reads every named array of a {@code .npz} or {@code .safetensors} file, after checking its
     * declared sizes against the file and a sane bound (see {@link ArrayFiles}).
     *
     * @param file the file
     * @param manager the manager that will own the arrays
     * @return name → array, in the file's order
     * @throws InvalidDataException naming the file if it is missing, damaged or holds no arrays
     * @throws IOException if reading fails
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        Map<String, NDArray> byName = ArrayFiles.read(file, manager);
        if (byName.isEmpty()) {
            throw new InvalidDataException(file, "holds no arrays");
        }
        return byName;
    }

    /**
     * Fails unless the names are exactly the expected ones, saying which are missing or extra.
     *
     * @param file the file the names come from, for the error
     * @param expected the names there must be
     * @param found the names there are
     * @param what what the names belong to, e.g. {@code "the model"}
     * @throws InvalidDataException naming the file and the differences
     */
    public static void checkNames(Path file, Set<String> expected, Set<String> found, String what)
            throws InvalidDataException {
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(found);
        TreeSet<String> extra = new TreeSet<>(found);
        extra.removeAll(expected);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add("missing " + String.join(", ", missing));
            }
            if (!extra.isEmpty()) {
                parts.add("unexpected " + String.join(", ", extra));
            }
            throw new InvalidDataException(
                    file, "arrays do not match " + what + ": " + String.join("; ", parts));
        }
    }

    /**
     * Copies weights from a file into the block, checking names and shapes first.
     *
     * @param block the initialised sequential model
     * @param file a {@code .npz} or {@code .safetensors} written here or by Python
     * @throws InvalidDataException naming the file if it is missing, unreadable, lacks a weight,
     *     has an extra one, or a shape differs
     * @throws IOException if reading fails
     */
    public static void load(Block block, Path file) throws IOException {
        Map<String, Parameter> params = parameters(block);
        try (NDManager sub = NDManager.newBaseManager()) {
            Map<String, NDArray> byName = read(file, sub);
            checkNames(file, params.keySet(), byName.keySet(), "the model");
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray target = e.getValue().getArray();
                NDArray source = byName.get(e.getKey());
                if (!source.getShape().equals(target.getShape())
                        || source.getDataType() != target.getDataType()) {
                    throw new InvalidDataException(
                            file,
                            String.format(
                                    Locale.ROOT,
                                    "%s is %s %s, the model needs %s %s",
                                    e.getKey(),
                                    source.getDataType(),
                                    source.getShape(),
                                    target.getDataType(),
                                    target.getShape()));
                }
            }
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray source = byName.get(e.getKey());
                if (source.getShape().size() > 0
                        && !source.isNaN().logicalOr(source.isInfinite()).none().getBoolean()) {
                    // Checked before anything is copied, so a refused file changes nothing.
                    throw new InvalidDataException(
                            file, e.getKey() + " holds NaN or an infinity: not usable weights");
                }
            }
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                Models.overwrite(e.getValue(), byName.get(e.getKey()));
            }
        }
    }

    /**
     * Fails unless the file name ends in {@code .npz} or {@code .safetensors}, the two formats.
     *
     * @param setting the setting that names the file, e.g. {@code init}
     * @param file the weights file
     */
    public static void checkFileName(String setting, Path file) {
        FileChecks.extension(setting, file, "weights", ".npz", ".safetensors");
    }

    private static NDList.Encoding encodingOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz")) {
            return NDList.Encoding.NPZ;
        }
        if (name.endsWith(".safetensors")) {
            return NDList.Encoding.SAFETENSORS;
        }
        throw new IllegalArgumentException(
                file + ": weights file must end in .npz or .safetensors");
    }
}
