package de.nnkurs.export;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.Lesson;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.data.JsonProblems;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.io.AtomicDirectory;
import de.nnkurs.io.FileChecks;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.Models;
import de.nnkurs.model.StateDict;
import de.nnkurs.training.Predictions;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.TrainingResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A trained model on disk: DJL parameters ({@code <name>-<epoch>.params}) plus {@code
 * metadata.json}, in a folder named like the model.
 */
public final class ModelFolder {

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** The files of a model folder: the metadata and DJL's parameter files. */
    private static final List<Pattern> MODEL_FILES =
            List.of(
                    Pattern.compile(Pattern.quote(ModelMetadata.FILE_NAME)),
                    Pattern.compile(".+-\\d{4}\\.params"));

    /** Where the slides' model is saved unless told: {@code models/mnist}. */
    public static final Path DEFAULT = Path.of("models", "mnist");

    private ModelFolder() {}

    /**
     * Saves a freshly trained model into {@code dir}, atomically, with metadata saying how it was
     * made.
     *
     * @param trained the trained model
     * @param dir the model folder; its name becomes the model name
     * @throws InvalidDataException if the loss diverged: nothing is written
     * @throws IOException if writing fails; an earlier model in {@code dir} is then kept
     */
    public static void save(TrainedModel trained, Path dir) throws IOException {
        refuseDiverged(trained, dir);
        save(trained.model(), dir, ModelMetadata.trained(nameOf(dir), trained));
    }

    /**
     * Fails if the run's loss diverged: such weights must not be saved, and a run that only checks
     * itself (a dry run) must fail the same way.
     *
     * @param trained the trained model
     * @param dir the model folder it would be saved in, named in the error; null for a run that
     *     saves nothing
     * @throws InvalidDataException naming the epoch and step where the loss became NaN or infinite
     */
    public static void refuseDiverged(TrainedModel trained, Path dir) throws InvalidDataException {
        if (trained.diverged()) {
            // NaN weights answer NaN for every picture; they must not replace a model that works.
            TrainingResult.Step at = trained.result().divergence().orElseThrow();
            throw new InvalidDataException(
                    dir == null ? "the run" : dir,
                    String.format(
                            Locale.ROOT,
                            "not saved: the loss diverged at epoch %d, step %d (%s), so the"
                                    + " weights are useless; try a smaller learning rate",
                            at.epoch(),
                            at.step(),
                            at.loss()));
        }
    }

    /**
     * Fails at once if {@code dir} could not take a model: it holds something else, or its folder
     * is read-only. Call it before a long training so that the result has somewhere to go.
     *
     * @param setting the setting that names the folder, e.g. {@code output}
     * @param dir the model folder to be written
     */
    public static void checkTarget(String setting, Path dir) {
        if (dir.toAbsolutePath().normalize().getFileName() == null) {
            throw new InvalidSettingException(setting, dir + ": not a usable model folder name");
        }
        FileChecks.replaceable(setting, dir, ModelFolder::strangers, "a model folder");
        FileChecks.writable(setting, dir);
        AtomicDirectory.checkReplaceable(setting, dir);
    }

    /**
     * Makes a model folder from weights trained elsewhere, e.g. in PyTorch, and measures them.
     *
     * @param weights a {@code .npz} or {@code .safetensors} with {@code state_dict} names
     * @param architecture the network the weights belong to
     * @param test the test set to measure the accuracy on
     * @param dataSha256 the sha256 of the test data, for the metadata
     * @param dir the model folder to write
     * @return the metadata written, with the measured test accuracy
     * @throws IOException if the weights do not fit or the folder cannot be written
     */
    public static ModelMetadata importWeights(
            Path weights,
            Architecture architecture,
            MnistSplit test,
            Map<String, String> dataSha256,
            Path dir)
            throws IOException {
        checkImport(weights, dir);
        try (Model model = Model.newInstance(nameOf(dir))) {
            model.setBlock(Models.sequential(architecture));
            Models.initialize(model.getBlock(), model.getNDManager(), Lesson.SEED);
            StateDict.load(model.getBlock(), weights);
            String bad = firstNonFinite(model.getBlock());
            if (bad != null) {
                throw new InvalidDataException(
                        weights, bad + " holds NaN or an infinity: not usable weights");
            }
            double accuracy =
                    Predictions.of(
                            Predictions.predict(model.getBlock(), model.getNDManager(), test),
                            test);
            ModelMetadata meta =
                    ModelMetadata.imported(
                            nameOf(dir), architecture, weights, accuracy, dataSha256);
            save(model, dir, meta);
            return meta;
        }
    }

    /**
     * Fails at once unless {@link #importWeights} could read {@code weights} and write {@code dir}.
     *
     * @param weights the weights file (setting {@code weights})
     * @param dir the model folder to write (setting {@code output})
     */
    public static void checkImport(Path weights, Path dir) {
        FileChecks.existingFile("weights", weights);
        StateDict.checkFileName("weights", weights);
        checkTarget("output", dir);
    }

    /**
     * Writes a saved model's weights under {@code state_dict} names, for PyTorch to load.
     *
     * @param dir the model folder
     * @param weights a {@code .npz} or {@code .safetensors} to write
     * @throws IOException if the model cannot be read or the file written
     */
    public static void exportWeights(Path dir, Path weights) throws IOException {
        StateDict.checkFileName("output", weights);
        FileChecks.writableFile("output", weights);
        FileChecks.existingFolder("model", dir);
        try (Model model = load(dir)) {
            StateDict.save(model.getBlock(), weights);
        }
    }

    /**
     * Saves the model's parameters and metadata into {@code dir}, atomically.
     *
     * @param model a model with an initialised block
     * @param dir the model folder; its name becomes the model name
     * @param metadata how the model was made; its name must equal the folder name
     * @throws IOException if writing fails; an earlier model in {@code dir} is then kept
     */
    public static void save(Model model, Path dir, ModelMetadata metadata) throws IOException {
        String name = nameOf(dir);
        if (!name.equals(metadata.name())) {
            throw new IllegalArgumentException(
                    "metadata name " + metadata.name() + " differs from folder name " + name);
        }
        model.setProperty("Epoch", Integer.toString(metadata.epochs()));
        AtomicDirectory.write(
                dir,
                existing -> strangers(existing).isEmpty(),
                "a model folder",
                tmp -> {
                    model.save(tmp, name);
                    try (Writer w =
                            Files.newBufferedWriter(
                                    tmp.resolve(ModelMetadata.FILE_NAME), StandardCharsets.UTF_8)) {
                        GSON.toJson(metadata, w);
                    }
                });
    }

    /**
     * Returns what in {@code dir} a model folder never holds. A model folder holds exactly what
     * {@link #save} writes: {@code metadata.json} and DJL's {@code <name>-NNNN.params}; anything
     * else means the folder is someone else's. An empty list with no metadata means "empty".
     */
    static List<String> strangers(Path dir) {
        List<String> other = FileChecks.entriesOtherThan(dir, MODEL_FILES);
        if (other.isEmpty()
                && !Files.isRegularFile(dir.resolve(ModelMetadata.FILE_NAME))
                && !FileChecks.entriesOtherThan(dir, List.of()).isEmpty()) {
            return List.of("no " + ModelMetadata.FILE_NAME);
        }
        return other;
    }

    /**
     * Reads a model folder's metadata.
     *
     * @param dir the model folder
     * @return the metadata
     * @throws InvalidDataException if the file is missing or not valid metadata
     * @throws IOException if reading fails
     */
    public static ModelMetadata readMetadata(Path dir) throws IOException {
        Path file = dir.resolve(ModelMetadata.FILE_NAME);
        if (!Files.exists(dir) && AtomicDirectory.interruptedWriteLeftover(dir) != null) {
            throw new InvalidDataException(
                    dir,
                    "not there: an interrupted save left the previous model in "
                            + AtomicDirectory.interruptedWriteLeftover(dir).getFileName()
                            + "; the next train or weights import into it puts it back");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file, "no such file; is " + dir + " a model folder?");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ModelMetadata meta = GSON.fromJson(r, ModelMetadata.class);
            if (meta == null || meta.name() == null || meta.variant() == null) {
                throw new InvalidDataException(file, "missing name or variant");
            }
            return meta;
        } catch (JsonParseException e) {
            throw new InvalidDataException(
                    file,
                    (JsonProblems.isSyntax(e) ? "not JSON (" : "not the layout of model metadata (")
                            + JsonProblems.describe(e)
                            + ")");
        }
    }

    /**
     * Loads a saved model: rebuilds the block from the metadata and reads the parameters.
     *
     * @param dir the model folder
     * @return the model; the caller closes it
     * @throws IOException if the folder, metadata or parameters are missing or malformed
     */
    public static Model load(Path dir) throws IOException {
        // A writer swaps the whole folder; under the readers' lock, the metadata and the
        // parameters read here are of one version.
        try (AtomicDirectory.Lock reading = AtomicDirectory.shared(dir)) {
            return loadLocked(dir);
        }
    }

    private static Model loadLocked(Path dir) throws IOException {
        ModelMetadata meta = readMetadata(dir);
        Architecture architecture;
        try {
            architecture = meta.toArchitecture();
        } catch (IllegalArgumentException e) {
            throw new InvalidDataException(
                    dir.resolve(ModelMetadata.FILE_NAME),
                    "unusable architecture (" + e.getMessage() + ")");
        }
        Path params = parametersFile(dir, meta.name());
        Model model = Model.newInstance(meta.name());
        try {
            model.setBlock(Models.sequential(architecture));
            // Initialise first: a block that only loaded its parameters lacks its input names,
            // and DJL then refuses to save it again. NaN everywhere, so that a parameter DJL did
            // not read (it skips a file without its header silently) cannot pass for a weight.
            Models.initialize(model.getBlock(), model.getNDManager(), Lesson.SEED);
            for (Parameter p : model.getBlock().getParameters().values()) {
                Models.overwrite(p, Float.NaN);
            }
            Map<String, Shape> needed = new LinkedHashMap<>();
            StateDict.parameters(model.getBlock())
                    .forEach((k, p) -> needed.put(k, p.getArray().getShape()));
            checkAgainst(params, meta, needed, arrays(params));
            try {
                model.load(dir, meta.name());
            } catch (MalformedModelException | IOException | RuntimeException e) {
                if (e instanceof java.io.EOFException) {
                    throw e;
                }
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new InvalidDataException(
                        params,
                        "does not hold the parameters of "
                                + ModelMetadata.FILE_NAME
                                + "'s "
                                + describe(meta)
                                + " network ("
                                + why
                                + ")");
            }
            checkShapes(params, meta, needed, StateDict.parameters(model.getBlock()));
            String bad = firstNonFinite(model.getBlock());
            if (bad != null) {
                throw new InvalidDataException(
                        params,
                        bad + " was not read or is not finite: not the parameters of this model");
            }
            return model;
        } catch (InvalidDataException e) {
            model.close();
            throw e;
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InvalidDataException(
                    params, "cannot load the parameters: truncated or corrupt (" + why + ")");
        }
    }

    /**
     * Fails unless every loaded parameter has the shape the declared architecture needs: DJL reads
     * an array of any shape into a parameter, so weights of another network would load silently.
     */
    private static void checkShapes(
            Path params, ModelMetadata meta, Map<String, Shape> needed, Map<String, Parameter> got)
            throws InvalidDataException {
        for (Map.Entry<String, Shape> e : needed.entrySet()) {
            Parameter p = got.get(e.getKey());
            Shape loaded = p == null || p.getArray() == null ? null : p.getArray().getShape();
            if (!e.getValue().equals(loaded)) {
                throw new InvalidDataException(
                        params,
                        e.getKey()
                                + " is "
                                + (loaded == null ? "missing" : shape(loaded))
                                + ", "
                                + ModelMetadata.FILE_NAME
                                + "'s "
                                + describe(meta)
                                + " needs "
                                + shape(e.getValue()));
            }
        }
    }

    /** One array of a DJL parameters file, as its header says. */
    record StoredArray(String name, Shape shape) {}

    /** The largest parameters file read whole: the most a Java array holds. */
    private static final long MAX_PARAMS_BYTES = Integer.MAX_VALUE - 8;

    /** The most dimensions an array header may declare. */
    private static final int MAX_DIMENSIONS = 8;

    /**
     * Lists the arrays of a DJL {@code .params} file from their headers ({@code NDAR}, version,
     * name, {@code DENSE}, data type, shape, byte order, data length), skipping their data, and
     * checks each one's data against the file's length: a file cut short is told from one that
     * holds another network.
     *
     * @param params the parameters file
     * @return the arrays in file order
     * @throws InvalidDataException if the file is cut short or a header is unusable
     */
    static List<StoredArray> arrays(Path params) throws IOException {
        long size = Files.size(params);
        if (size > MAX_PARAMS_BYTES) {
            throw new InvalidDataException(
                    params,
                    size
                            + " bytes; a parameters file is read whole, and at most "
                            + MAX_PARAMS_BYTES
                            + " bytes can be");
        }
        byte[] data = Files.readAllBytes(params); // the slides' network: 0.24 MB
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(data);
        byte[] magic = {0, 4, 'N', 'D', 'A', 'R'};
        List<StoredArray> found = new java.util.ArrayList<>();
        int from = 0;
        while (true) {
            int at = indexOf(data, magic, from);
            if (at < 0) {
                return found;
            }
            try {
                in.position(at + magic.length);
                int version = in.getInt();
                if (version < 2 || version > 3) {
                    throw new InvalidDataException(
                            params, "array " + (found.size() + 1) + " has version " + version);
                }
                String name = in.get() != 0 ? utf(in) : "";
                utf(in); // DENSE
                String type = utf(in);
                int dims = in.getInt();
                if (dims < 0 || dims > MAX_DIMENSIONS) {
                    throw new InvalidDataException(
                            params, name + " declares " + dims + " dimensions");
                }
                long[] shape = new long[dims];
                for (int i = 0; i < dims; i++) {
                    shape[i] = in.getLong();
                }
                int layout = in.getInt();
                if (layout < 0 || layout > MAX_DIMENSIONS) {
                    throw new InvalidDataException(params, name + " declares a bad layout");
                }
                in.position(in.position() + 2 * layout + 1); // layout chars, byte order
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new InvalidDataException(
                            params,
                            "truncated: "
                                    + name
                                    + " ("
                                    + type
                                    + ") declares "
                                    + length
                                    + " bytes, "
                                    + in.remaining()
                                    + " are left in the file");
                }
                found.add(new StoredArray(name, new Shape(shape)));
                from = in.position() + length;
            } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
                throw new InvalidDataException(
                        params,
                        "truncated: the file ends inside the header of array "
                                + (found.size() + 1));
            }
        }
    }

    private static String utf(java.nio.ByteBuffer in) {
        int n = Short.toUnsignedInt(in.getShort());
        byte[] text = new byte[n];
        in.get(text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = from; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Fails unless the file's arrays are, in order, the parameters the declared architecture needs,
     * with their names and shapes, naming the first that differs.
     */
    private static void checkAgainst(
            Path params, ModelMetadata meta, Map<String, Shape> needed, List<StoredArray> stored)
            throws InvalidDataException {
        List<Map.Entry<String, Shape>> wanted = List.copyOf(needed.entrySet());
        String declared = ModelMetadata.FILE_NAME + "'s " + describe(meta);
        for (int i = 0; i < Math.min(wanted.size(), stored.size()); i++) {
            String key = wanted.get(i).getKey();
            Shape shape = wanted.get(i).getValue();
            StoredArray got = stored.get(i);
            String field = key.substring(key.indexOf('.') + 1);
            if (!field.equals(got.name())) {
                throw new InvalidDataException(
                        params,
                        "parameter "
                                + (i + 1)
                                + " is "
                                + got.name()
                                + " "
                                + shape(got.shape())
                                + ", "
                                + declared
                                + " needs "
                                + key
                                + " "
                                + shape(shape));
            }
            if (!shape.equals(got.shape())) {
                throw new InvalidDataException(
                        params,
                        key
                                + " is "
                                + shape(got.shape())
                                + ", "
                                + declared
                                + " needs "
                                + shape(shape));
            }
        }
        if (stored.size() < wanted.size()) {
            Map.Entry<String, Shape> missing = wanted.get(stored.size());
            throw new InvalidDataException(
                    params,
                    "holds "
                            + stored.size()
                            + " parameters, "
                            + declared
                            + " needs "
                            + wanted.size()
                            + " ("
                            + missing.getKey()
                            + " "
                            + shape(missing.getValue())
                            + " is missing)");
        }
        if (stored.size() > wanted.size()) {
            throw new InvalidDataException(
                    params,
                    "holds "
                            + stored.size()
                            + " parameters, "
                            + declared
                            + " needs "
                            + wanted.size());
        }
    }

    /**
     * The architecture as metadata.json declares it, e.g. {@code 784-32-10} or {@code 784-64-10
     * prelu}.
     */
    private static String describe(ModelMetadata meta) {
        String activation = meta.activation() == null ? "relu" : meta.activation();
        return meta.architecture() + (activation.equals("relu") ? "" : " " + activation);
    }

    /** A shape as PyTorch prints it: {@code (64, 784)}. */
    static String shape(Shape shape) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < shape.dimension(); i++) {
            out.append(i == 0 ? "" : ", ").append(shape.get(i));
        }
        return out.append(")").toString();
    }

    /** Returns the name of the first parameter holding NaN or an infinity, or null. */
    private static String firstNonFinite(Block block) {
        for (var p : block.getParameters()) {
            NDArray weights = p.getValue().getArray();
            if (!weights.isNaN().logicalOr(weights.isInfinite()).none().getBoolean()) {
                return p.getKey();
            }
        }
        return null;
    }

    /** Returns the one parameters file of a model folder, checking DJL's header. */
    private static Path parametersFile(Path dir, String name) throws IOException {
        List<Path> found;
        try (Stream<Path> files = Files.list(dir)) {
            found =
                    files.filter(
                                    f ->
                                            f.getFileName()
                                                    .toString()
                                                    .matches(
                                                            Pattern.quote(name)
                                                                    + "-\\d{4}\\.params"))
                            .toList();
        }
        if (found.size() != 1) {
            throw new InvalidDataException(
                    dir,
                    found.isEmpty()
                            ? "no " + name + "-NNNN.params file"
                            : found.size() + " parameter files; a model folder has one");
        }
        Path params = found.get(0);
        String special = FileChecks.special(params);
        if (special != null) {
            throw new InvalidDataException(params, special + "; not opened");
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(params)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n < 4 || !new String(head, StandardCharsets.US_ASCII).equals("DJL@")) {
            throw new InvalidDataException(params, "not DJL parameters (no DJL@ header)");
        }
        return params;
    }

    private static String nameOf(Path dir) {
        Path file = dir.toAbsolutePath().normalize().getFileName();
        if (file == null) {
            throw new IllegalArgumentException(dir + ": not a usable model folder name");
        }
        return file.toString();
    }
}
