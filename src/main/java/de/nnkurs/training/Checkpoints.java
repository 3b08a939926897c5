package de.nnkurs.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.io.AtomicDirectory;
import de.nnkurs.io.FileChecks;
import de.nnkurs.model.StateDict;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A run's checkpoint: after every epoch, everything needed to go on exactly where it stood — the
 * weights, the optimizer's state (Adam's moments and step count), the epochs done with their
 * results and step losses. The sampler needs no file of its own: each epoch's order is the next
 * draw of a generator seeded by the run's seed (or the next order of an order file), so the epochs
 * done say where it stands; libtorch's generator (RReLU's slopes) is re-seeded from the seed and
 * the epoch at the start of every epoch.
 *
 * <p>A checkpoint folder, e.g. {@code models/mnist.checkpoint} beside {@code models/mnist}, is
 * written like a model folder: complete under a temporary name, then renamed into place, so a run
 * killed at any instant leaves the previous epoch's checkpoint or the new one.
 */
public final class Checkpoints {

    /** The marker and version of the folder's layout. */
    static final String FORMAT = "nnkurs-checkpoint/1";

    static final String META = "checkpoint.json";
    static final String WEIGHTS = "weights.npz";
    static final String OPTIMIZER = "optimizer.npz";
    static final String LOSSES = "losses.npz";

    /** The key of checkpoint.json that records each array file's SHA-256. */
    static final String SHA256 = "sha256";

    private static final List<String> ARRAY_FILES = List.of(WEIGHTS, OPTIMIZER, LOSSES);
    private static final long MAX_ARRAY_FILE_BYTES = (1L << 30) + (1L << 20);

    private static final String STEP_LOSSES = "step_losses";
    private static final String RUN_EPOCHS = "runEpochs";
    private static final long MAX_META_BYTES = 1 << 24;
    private static final List<Pattern> FILES =
            List.of(META, WEIGHTS, OPTIMIZER, LOSSES).stream()
                    .map(n -> Pattern.compile(Pattern.quote(n)))
                    .toList();

    /** A plan that neither resumes nor writes checkpoints. */
    public static final Checkpoints NONE = new Checkpoints(null, null, Map.of(), 0);

    private final Path writeTo;
    private final Saved resumeFrom;
    private final Map<String, String> run;
    private final int runEpochs;

    private Checkpoints(Path writeTo, Saved resumeFrom, Map<String, String> run, int runEpochs) {
        this.writeTo = writeTo;
        this.resumeFrom = resumeFrom;
        this.run = run;
        this.runEpochs = runEpochs;
    }

    /**
     * Plans a run's checkpoints.
     *
     * @param writeTo the folder to write after each epoch, or null for none
     * @param resumeFrom a checkpoint to start from, or null to start afresh
     * @param run what identifies the run (settings, network, data); a checkpoint of another run is
     *     refused
     * @param runEpochs the epochs the whole run takes, recorded so that resuming it with fewer is
     *     refused
     */
    public static Checkpoints plan(
            Path writeTo, Saved resumeFrom, Map<String, String> run, int runEpochs) {
        return new Checkpoints(writeTo, resumeFrom, Map.copyOf(run), runEpochs);
    }

    /**
     * Fails at once if a run could not write its checkpoints into {@code dir}: something that is
     * not a checkpoint is there (a file, a symbolic link, a folder with other files, e.g. {@code
     * .DS_Store}). Call it before training, not after the first epoch.
     *
     * @param setting the setting that names the folder, e.g. {@code output}
     * @param dir the checkpoint folder a run will write
     * @throws InvalidSettingException naming the folder and what is in the way
     */
    public static void checkTarget(String setting, Path dir) {
        if (Files.isSymbolicLink(dir)) {
            throw new InvalidSettingException(
                    setting,
                    dir
                            + ": is a symbolic link, not a checkpoint folder; a run writes its"
                            + " checkpoint there after every epoch: move the link away");
        }
        FileChecks.replaceable(setting, dir, Checkpoints::strangers, "a checkpoint folder");
        FileChecks.writable(setting, dir);
    }

    /** Returns what in {@code dir} a checkpoint folder never holds; empty for a checkpoint. */
    static List<String> strangers(Path dir) {
        List<String> other = FileChecks.entriesOtherThan(dir, FILES);
        if (other.isEmpty()
                && !Files.isRegularFile(dir.resolve(META))
                && !FileChecks.entriesOtherThan(dir, List.of()).isEmpty()) {
            return List.of("no " + META);
        }
        return other;
    }

    /**
     * Returns the checkpoint folder that belongs to a model folder: {@code models/mnist} → {@code
     * models/mnist.checkpoint}.
     *
     * @param modelDir the model folder a run will save into
     * @return the folder beside it
     */
    public static Path beside(Path modelDir) {
        Path name = modelDir.toAbsolutePath().normalize().getFileName();
        Objects.requireNonNull(name, "model folder has no name");
        Path dir = modelDir.normalize();
        // As the user wrote it, relative or not, so that messages name what they typed.
        return dir.getFileName() == null || !dir.getFileName().equals(name)
                ? modelDir.toAbsolutePath().normalize().resolveSibling(name + ".checkpoint")
                : dir.resolveSibling(name + ".checkpoint");
    }

    /**
     * Returns whether {@code dir} holds a checkpoint written here, and nothing else.
     *
     * @param dir a folder
     * @return true if it is a checkpoint folder
     */
    public static boolean isCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(META))
                && FileChecks.entriesOtherThan(dir, FILES).isEmpty();
    }

    /**
     * Deletes a checkpoint folder once its run has been saved; anything that is not a checkpoint is
     * left alone.
     *
     * @param dir the checkpoint folder
     * @return whether a checkpoint was deleted
     * @throws IOException if it cannot be deleted
     */
    public static boolean delete(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || !isCheckpoint(dir)) {
            return false;
        }
        AtomicDirectory.deleteTree(dir);
        return true;
    }

    /**
     * Reads a checkpoint's description (the arrays are read when the run resumes).
     *
     * @param dir a checkpoint folder
     * @return the checkpoint
     * @throws InvalidDataException naming the file if it is missing, damaged or not a checkpoint
     * @throws IOException if reading fails
     */
    public static Saved read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidDataException(
                    dir, "no checkpoint here (train writes one after each" + " epoch)");
        }
        if (Files.isSymbolicLink(dir) || !isCheckpoint(dir)) {
            List<String> other = Files.isSymbolicLink(dir) ? List.of() : strangers(dir);
            throw new InvalidDataException(
                    dir,
                    (Files.isSymbolicLink(dir)
                                    ? "is a symbolic link, "
                                    : other.isEmpty() ? "" : "holds " + other.get(0) + ", so ")
                            + "not a checkpoint folder (it needs "
                            + META
                            + " and nothing else)");
        }
        Path meta = dir.resolve(META);
        long size = Files.size(meta);
        if (size > MAX_META_BYTES) {
            throw new InvalidDataException(
                    meta, "is " + size + " bytes, more than a checkpoint's " + MAX_META_BYTES);
        }
        try {
            JsonObject json =
                    JsonParser.parseString(Files.readString(meta, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            if (!FORMAT.equals(json.get("format").getAsString())) {
                throw new InvalidDataException(
                        meta, "format is " + json.get("format") + ", not " + FORMAT);
            }
            Map<String, String> run = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("run").entrySet()) {
                run.put(e.getKey(), e.getValue().getAsString());
            }
            List<EpochResult> epochs = new ArrayList<>();
            for (JsonElement e : json.getAsJsonArray("epochs")) {
                JsonObject o = e.getAsJsonObject();
                epochs.add(
                        new EpochResult(
                                o.get("epoch").getAsInt(),
                                o.get("meanLoss").getAsDouble(),
                                o.get("testAccuracy").getAsDouble(),
                                o.get("seconds").getAsDouble()));
            }
            for (int i = 0; i < epochs.size(); i++) {
                if (epochs.get(i).epoch() != i + 1) {
                    throw new InvalidDataException(meta, "epochs are not numbered 1, 2, …");
                }
            }
            if (epochs.isEmpty()) {
                throw new InvalidDataException(meta, "records no finished epoch");
            }
            for (EpochResult r : epochs) {
                checkFigure(meta, r.epoch(), "testAccuracy", r.testAccuracy(), 1);
                checkFigure(meta, r.epoch(), "meanLoss", r.meanLoss(), Double.MAX_VALUE);
                checkFigure(meta, r.epoch(), "seconds", r.seconds(), Double.MAX_VALUE);
            }
            JsonObject sums = json.getAsJsonObject(SHA256);
            if (sums == null) {
                // Written before checkpoints recorded their files' sha256: resumed, not lost, and
                // their arrays are still checked one by one when they are read.
                AtomicDirectory.notice(
                        meta
                                + ": written by an earlier nnkurs, which recorded no "
                                + SHA256
                                + " of its files; they are not checked against each other");
            } else {
                for (String name : ARRAY_FILES) {
                    checkFingerprint(dir.resolve(name), sums.get(name).getAsString());
                }
            }
            int runEpochs = 0; // unknown in checkpoints written before it was recorded
            if (json.has(RUN_EPOCHS)) {
                runEpochs = json.get(RUN_EPOCHS).getAsInt();
                if (runEpochs < epochs.size()) {
                    throw new InvalidDataException(
                            meta,
                            RUN_EPOCHS
                                    + " is "
                                    + runEpochs
                                    + ", fewer than the "
                                    + epochs.size()
                                    + " epochs it records");
                }
            }
            return new Saved(dir, run, epochs, runEpochs);
        } catch (JsonParseException
                | IllegalStateException
                | NullPointerException
                | UnsupportedOperationException
                | ClassCastException
                | NumberFormatException e) {
            throw new InvalidDataException(meta, "not a readable checkpoint description", e);
        }
    }

    private static void checkFigure(Path meta, int epoch, String key, double value, double max)
            throws InvalidDataException {
        if (!(value >= 0 && value <= max)) {
            throw new InvalidDataException(
                    meta,
                    "epoch "
                            + epoch
                            + "'s "
                            + key
                            + " is "
                            + value
                            + (max == 1
                                    ? ", not a fraction from 0 to 1"
                                    : ", not a finite figure ≥ 0")
                            + ": a damaged checkpoint");
        }
    }

    private static void checkFingerprint(Path file, String recorded) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidDataException(file, "missing from the checkpoint");
        }
        if (Files.size(file) > MAX_ARRAY_FILE_BYTES) {
            throw new InvalidDataException(
                    file, "is " + Files.size(file) + " bytes, more than a checkpoint's arrays");
        }
        if (!sha256(file).equals(recorded)) {
            throw new InvalidDataException(
                    file,
                    "is not the file this checkpoint wrote: its SHA-256 differs from the one "
                            + META
                            + " records (a file of another run, or a damaged one)");
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A checkpoint on disk: which run it belongs to and the epochs it holds. */
    public static final class Saved {
        private final Path dir;
        private final Map<String, String> run;
        private final List<EpochResult> epochs;
        private final int runEpochs;

        private Saved(Path dir, Map<String, String> run, List<EpochResult> epochs, int runEpochs) {
            this.dir = dir;
            this.run = Map.copyOf(run);
            this.epochs = List.copyOf(epochs);
            this.runEpochs = runEpochs;
        }

        /**
         * Returns the epochs the interrupted run was to take in all, or 0 if the checkpoint does
         * not say (written by an earlier version).
         */
        public int runEpochs() {
            return runEpochs;
        }

        /** Returns the folder. */
        public Path dir() {
            return dir;
        }

        /** Returns the number of finished epochs it holds. */
        public int epochsDone() {
            return epochs.size();
        }

        /** Returns the results of the epochs it holds. */
        public List<EpochResult> epochs() {
            return epochs;
        }

        /**
         * Fails unless this checkpoint belongs to a run with these settings, network and data.
         *
         * @param other the description of the run that wants to resume
         * @param ignore keys not to compare (yet)
         * @throws InvalidSettingException (setting {@code resume}) naming the first difference
         */
        public void checkSameRun(Map<String, String> other, Set<String> ignore) {
            Set<String> keys = new LinkedHashSet<>(run.keySet());
            keys.addAll(other.keySet());
            keys.removeAll(ignore);
            for (String key : keys) {
                String saved = run.get(key);
                String now = other.get(key);
                if (!Objects.equals(saved, now)) {
                    throw new InvalidSettingException(
                            "resume",
                            dir
                                    + " belongs to a run with "
                                    + key
                                    + " "
                                    + saved
                                    + ", this one has "
                                    + now
                                    + "; resume with the settings of the interrupted run");
                }
            }
        }
    }

    /**
     * Loads the checkpoint into a freshly initialised run: weights, optimizer state, results.
     *
     * @param block the network, initialised
     * @param optimizer the run's optimizer, before its first update
     * @param batchesPerEpoch the steps each epoch takes, to check the step losses
     * @param stepLosses receives the step losses of the finished epochs
     * @param epochs receives the results of the finished epochs
     * @return the number of finished epochs; 0 without a checkpoint
     * @throws IOException naming the file if the checkpoint does not fit the run
     */
    int restore(
            Block block,
            Optimizer optimizer,
            int batchesPerEpoch,
            List<Float> stepLosses,
            List<EpochResult> epochs)
            throws IOException {
        if (resumeFrom == null) {
            return 0;
        }
        Path dir = resumeFrom.dir();
        if (!(optimizer instanceof ResumableOptimizer resumable)) {
            throw new InvalidSettingException(
                    "resume", "this optimizer keeps its state where no checkpoint can reach it");
        }
        StateDict.load(block, dir.resolve(WEIGHTS));
        Map<String, Parameter> params = StateDict.parameters(block);
        try (NDManager sub = NDManager.newBaseManager()) {
            Path file = dir.resolve(OPTIMIZER);
            Map<String, NDArray> state = StateDict.read(file, sub);
            Set<String> expected = new LinkedHashSet<>();
            for (String name : params.keySet()) {
                for (String s : resumable.stateNames()) {
                    expected.add(name + "." + s);
                }
            }
            StateDict.checkNames(file, expected, state.keySet(), "the optimizer");
            for (Map.Entry<String, Parameter> p : params.entrySet()) {
                NDArray weight = p.getValue().getArray();
                Map<String, NDArray> own = new LinkedHashMap<>();
                for (String s : resumable.stateNames()) {
                    NDArray a = state.get(p.getKey() + "." + s);
                    boolean scalar = s.equals(StepCounts.NAME);
                    Shape want = scalar ? new Shape() : weight.getShape();
                    if (!a.getShape().equals(want)
                            || (!scalar && a.getDataType() != weight.getDataType())) {
                        throw new InvalidDataException(
                                file,
                                p.getKey()
                                        + "."
                                        + s
                                        + " is "
                                        + a.getDataType()
                                        + " "
                                        + a.getShape()
                                        + ", the model needs "
                                        + want);
                    }
                    if (!scalar && !a.isNaN().logicalOr(a.isInfinite()).none().getBoolean()) {
                        throw new InvalidDataException(
                                file,
                                p.getKey()
                                        + "."
                                        + s
                                        + " holds NaN or an infinity: a damaged checkpoint");
                    }
                    if (scalar) {
                        long steps = (long) resumeFrom.epochsDone() * batchesPerEpoch;
                        double step = a.toType(DataType.FLOAT64, false).getDouble();
                        if (step != steps) {
                            throw new InvalidDataException(
                                    file,
                                    String.format(
                                            Locale.ROOT,
                                            "%s.%s is %s, but %d epoch(s) of %d steps make %d:"
                                                    + " a damaged checkpoint",
                                            p.getKey(),
                                            s,
                                            step == Math.rint(step) && Math.abs(step) < 1e18
                                                    ? String.valueOf((long) step)
                                                    : String.valueOf(step),
                                            resumeFrom.epochsDone(),
                                            batchesPerEpoch,
                                            steps));
                        }
                    }
                    own.put(s, a);
                }
                try {
                    resumable.restore(p.getValue().getId(), weight, own);
                } catch (IllegalArgumentException e) {
                    throw new InvalidDataException(file, p.getKey() + ": " + e.getMessage());
                }
            }
            Path lossFile = dir.resolve(LOSSES);
            Map<String, NDArray> losses = StateDict.read(lossFile, sub);
            StateDict.checkNames(lossFile, Set.of(STEP_LOSSES), losses.keySet(), "a checkpoint");
            NDArray saved = losses.get(STEP_LOSSES);
            long want = (long) resumeFrom.epochsDone() * batchesPerEpoch;
            if (saved.getDataType() != DataType.FLOAT32
                    || saved.getShape().dimension() != 1
                    || saved.getShape().get(0) != want) {
                throw new InvalidDataException(
                        lossFile,
                        STEP_LOSSES
                                + " is "
                                + saved.getDataType()
                                + " "
                                + saved.getShape()
                                + ", the run needs float32 ("
                                + want
                                + ")");
            }
            for (float f : saved.toFloatArray()) {
                stepLosses.add(f);
            }
        }
        epochs.addAll(resumeFrom.epochs());
        return resumeFrom.epochsDone();
    }

    /**
     * Writes the checkpoint after a finished epoch, replacing the previous one atomically; does
     * nothing if this plan writes none or the optimizer's state cannot be saved.
     *
     * @param block the network after the epoch
     * @param optimizer the run's optimizer
     * @param stepLosses every step's loss so far
     * @param epochs every finished epoch's result
     * @throws IOException naming the folder if it cannot be written; the previous one stays
     */
    void save(Block block, Optimizer optimizer, List<Float> stepLosses, List<EpochResult> epochs)
            throws IOException {
        if (writeTo == null || !(optimizer instanceof ResumableOptimizer resumable)) {
            return;
        }
        Map<String, Parameter> params = StateDict.parameters(block);
        try (NDManager sub = NDManager.newBaseManager()) {
            Map<String, NDArray> state = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> p : params.entrySet()) {
                Map<String, NDArray> own = resumable.state(p.getValue().getId(), sub);
                for (String s : resumable.stateNames()) {
                    state.put(p.getKey() + "." + s, own.get(s));
                }
            }
            float[] losses = new float[stepLosses.size()];
            for (int i = 0; i < losses.length; i++) {
                losses[i] = stepLosses.get(i);
            }
            NDArray lossArray = sub.create(losses);
            AtomicDirectory.write(
                    writeTo,
                    Checkpoints::isCheckpoint,
                    "a checkpoint folder",
                    dir -> {
                        StateDict.save(block, dir.resolve(WEIGHTS));
                        StateDict.write(dir.resolve(OPTIMIZER), state);
                        StateDict.write(dir.resolve(LOSSES), Map.of(STEP_LOSSES, lossArray));
                        Map<String, String> sums = new LinkedHashMap<>();
                        for (String name : ARRAY_FILES) {
                            sums.put(name, sha256(dir.resolve(name)));
                        }
                        Files.writeString(dir.resolve(META), describe(epochs, sums));
                    });
        }
    }

    private String describe(List<EpochResult> epochs, Map<String, String> sums) {
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.addProperty("created", Instant.now().toString());
        JsonObject runJson = new JsonObject();
        run.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> runJson.addProperty(e.getKey(), e.getValue()));
        json.add("run", runJson);
        json.addProperty(RUN_EPOCHS, runEpochs);
        JsonArray list = new JsonArray();
        for (EpochResult r : epochs) {
            JsonObject o = new JsonObject();
            o.addProperty("epoch", r.epoch());
            o.addProperty("meanLoss", r.meanLoss());
            o.addProperty("testAccuracy", r.testAccuracy());
            o.addProperty("seconds", r.seconds());
            list.add(o);
        }
        json.add("epochs", list);
        JsonObject fingerprints = new JsonObject();
        sums.forEach(fingerprints::addProperty);
        json.add(SHA256, fingerprints);
        return json.toString() + "\n";
    }
}
