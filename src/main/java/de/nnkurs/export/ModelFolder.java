package de.nnkurs.export;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.Lesson;
import de.nnkurs.data.InvalidDataException;
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
            throw new InvalidDataException(file, "not valid JSON (" + e.getMessage() + ")");
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
            model.load(dir, meta.name());
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
