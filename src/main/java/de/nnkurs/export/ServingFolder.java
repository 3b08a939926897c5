package de.nnkurs.export;

import ai.djl.Model;
import ai.djl.basicmodelzoo.basic.Mlp;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.Lesson;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.io.AtomicDirectory;
import de.nnkurs.io.AtomicFile;
import de.nnkurs.io.FileChecks;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.StateDict;
import de.nnkurs.serving.DigitServingTranslator;
import de.nnkurs.serving.DigitTranslator;
import de.nnkurs.serving.Invert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Exports a trained model as a folder (and {@code .zip}) that DJL Serving serves as it is.
 *
 * <p>The served block is DJL's own {@code MlpBlockFactory} MLP (flatten, Linear/ReLU…, Linear:
 * logits), which DJL Serving ships, with the trained weights as they are. The translator is the
 * project's {@link DigitServingTranslator}, carried in the folder's {@code libs/} as a small jar
 * ({@link TranslatorJar}): DJL Serving runs the same preprocessing as {@code predict} (EXIF
 * orientation, inversion, the digit centred as MNIST was made, the course's normalisation; see
 * {@code docs/pictures.md}).
 */
public final class ServingFolder {

    /** The serving folder's settings file, read by DJL Serving. */
    public static final String PROPERTIES = "serving.properties";

    /** Where {@code export} puts its folders unless told: beside {@code models/mnist}. */
    public static final Path DEFAULT_ROOT = Path.of("models", "serving");

    /** DJL Serving's workers for the model (minWorkers = maxWorkers), by measurement. */
    static final int WORKERS = 2;

    /** DJL Serving's dynamic batching: the largest batch, by measurement. */
    static final int BATCH_SIZE = 64;

    /** DJL Serving's dynamic batching: no wait for more requests (0 ms), by measurement. */
    static final int BATCH_DELAY_MS = 0;

    /** What a served model's name may be: it goes into serving.properties and URLs. */
    private static final Pattern SERVED_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** The folder DJL Serving searches for the translator's jar. */
    public static final String LIBS = "libs";

    /** Written by earlier versions for DJL's image translator; replaced, never written. */
    private static final String OLD_SYNSET = "synset.txt";

    /** What an export folder holds, and nothing else. */
    private static final List<Pattern> SERVED_FILES =
            List.of(
                    Pattern.compile(Pattern.quote(PROPERTIES)),
                    Pattern.compile(Pattern.quote(OLD_SYNSET)),
                    Pattern.compile(Pattern.quote(LIBS)),
                    Pattern.compile(Pattern.quote(ModelMetadata.FILE_NAME)),
                    Pattern.compile(".+-\\d{4}\\.params"));

    private ServingFolder() {}

    /**
     * Writes {@code <root>/<name>/} for the model trained in {@code trainedDir}, and the same files
     * as {@code <root>-zip/<name>.zip} ({@link #zipFor}); both are written under temporary names
     * and renamed when complete, and {@code <root>} holds nothing else, so that DJL Serving can use
     * it as its model store. Locks and temporary copies go to {@code .<root>.work} beside it.
     *
     * @param trainedDir a folder written by {@code train}
     * @param root the folder that receives the export, e.g. {@code models/serving}
     * @return the exported folder
     * @throws IOException if the trained model cannot be read or the export cannot be written; an
     *     earlier export is then left as it was
     * @throws InvalidSettingException (setting {@code output}) if {@code root} has no parent folder
     */
    public static Path export(Path trainedDir, Path root) throws IOException {
        if (root.toAbsolutePath().normalize().getParent() == null) {
            throw new InvalidSettingException(
                    "output",
                    root
                            + ": the model store needs a parent folder, which takes its zips and"
                            + " work folder");
        }
        String name = servedName(trainedDir);
        Path folder = root.resolve(name);
        refuseInside(trainedDir, root, folder);
        // The trained folder's files are read in several steps: under its readers' lock, a train
        // replacing it meanwhile waits, and all of them are of one version.
        try (AtomicDirectory.Lock reading = AtomicDirectory.shared(trainedDir)) {
            return exportLocked(trainedDir, root, name, folder);
        }
    }

    /**
     * Refuses an output inside the trained model's folder: the model folder would then hold an
     * export, and train would no longer take it as a model folder.
     */
    private static void refuseInside(Path trainedDir, Path root, Path folder) {
        Path trained = resolved(trainedDir);
        for (Path written : List.of(root, zipFor(folder), scratchFor(root))) {
            Path out = resolved(written);
            if (out.startsWith(trained) && !out.equals(trained)) {
                throw new InvalidSettingException(
                        "output",
                        written
                                + ": inside the trained model's folder "
                                + trainedDir
                                + ", which must hold only the model (train would refuse it"
                                + " then); choose an output outside it");
            }
        }
    }

    /** The path with its existing part's symbolic links resolved, so that aliases compare equal. */
    private static Path resolved(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            return absolute;
        }
    }

    private static Path exportLocked(Path trainedDir, Path root, String name, Path folder)
            throws IOException {
        ModelMetadata meta = ModelFolder.readMetadata(trainedDir);
        int[] hidden;
        try {
            Architecture architecture = meta.toArchitecture();
            check(architecture);
            hidden = architecture.hidden().stream().mapToInt(Integer::intValue).toArray();
        } catch (InvalidSettingException e) {
            throw new InvalidDataException(trainedDir, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidDataException(
                    trainedDir, "unusable architecture in metadata.json (" + e.getMessage() + ")");
        }
        if (folder.toAbsolutePath().normalize().equals(trainedDir.toAbsolutePath().normalize())) {
            throw new InvalidDataException(
                    trainedDir,
                    "the export would replace the trained model itself; choose another output");
        }
        Path zip = zipFor(folder);
        Path scratch = scratchFor(root);
        if (Files.exists(zip, LinkOption.NOFOLLOW_LINKS) && !isExportZip(zip)) {
            throw new InvalidDataException(
                    zip, "exists and is not an exported model's zip; not replacing it");
        }
        try (Model trained = ModelFolder.load(trainedDir);
                Model served = Model.newInstance(name, "PyTorch")) {
            Block mlp = new Mlp(Lesson.INPUT, Lesson.OUTPUT, hidden);
            served.setBlock(mlp);
            mlp.initialize(
                    served.getNDManager(),
                    DataType.FLOAT32,
                    new Shape(1, 1, Lesson.IMAGE_SIDE, Lesson.IMAGE_SIDE));
            copyInto(StateDict.parameters(trained.getBlock()).values(), mlp);
            served.setProperty("Epoch", Integer.toString(meta.epochs()));
            Files.createDirectories(zip.getParent());
            Files.createDirectories(scratch);
            removeOldLayout(root, name, zip);
            Path partialZip =
                    scratch.resolve("." + name + "." + UUID.randomUUID() + ".zip.partial");
            try {
                AtomicDirectory.write(
                        folder,
                        scratch,
                        existing ->
                                Files.isRegularFile(existing.resolve(PROPERTIES))
                                        && FileChecks.entriesOtherThan(existing, SERVED_FILES)
                                                .isEmpty()
                                        && onlyTranslatorJar(existing.resolve(LIBS)),
                        "an exported model (exactly what export writes)",
                        dir -> {
                            cleanPartialZips(scratch, name, partialZip);
                            served.save(dir, name);
                            Files.writeString(
                                    dir.resolve(PROPERTIES), properties(name, meta, hidden));
                            Files.createDirectory(dir.resolve(LIBS));
                            Files.write(
                                    dir.resolve(LIBS).resolve(TranslatorJar.FILE_NAME),
                                    TranslatorJar.bytes());
                            Files.copy(
                                    trainedDir.resolve(ModelMetadata.FILE_NAME),
                                    dir.resolve(ModelMetadata.FILE_NAME));
                            zip(dir, partialZip);
                            // The folder and the zip never disagree: the old zip goes before the
                            // folder is replaced and the new one comes after, so a crash in
                            // between leaves a folder without a zip, which the next export fills.
                            Files.deleteIfExists(zip);
                        });
                AtomicDirectory.pauseForTests("zip-pending");
                Files.move(partialZip, zip, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partialZip);
            }
        }
        return folder;
    }

    /**
     * Returns where the zip of an exported folder goes: beside the model store, not in it, e.g.
     * {@code models/serving/mnist} → {@code models/serving-zip/mnist.zip}. DJL Serving's model
     * store must hold model folders only.
     *
     * @param folder an exported folder, {@code <store>/<name>}
     * @return {@code <store>-zip/<name>.zip}
     */
    public static Path zipFor(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        Path store = absolute.getParent();
        if (store == null || store.getParent() == null || absolute.getFileName() == null) {
            throw new IllegalArgumentException(
                    folder + ": an export needs a folder inside a folder");
        }
        Path relative = folder.normalize();
        if (relative.getParent() != null && relative.getParent().getParent() != null) {
            // As the user wrote it, so that messages name what they typed.
            Path given = relative.getParent();
            return given.resolveSibling(given.getFileName() + "-zip")
                    .resolve(relative.getFileName() + ".zip");
        }
        return store.resolveSibling(store.getFileName() + "-zip")
                .resolve(absolute.getFileName() + ".zip");
    }

    /** The folder for the locks and temporary copies of a store's exports, beside the store. */
    static Path scratchFor(Path root) {
        Path store = root.toAbsolutePath().normalize();
        return store.resolveSibling("." + store.getFileName() + ".work");
    }

    /** Whether a file is a zip this export wrote: only the files of an exported folder. */
    private static boolean isExportZip(Path zip) {
        if (!Files.isRegularFile(zip, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.stream().map(ZipEntry::getName).allMatch(ServingFolder::isExportEntry);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a zip entry is one an export writes (older exports put them under {@code <name>/}).
     */
    private static boolean isExportEntry(String entry) {
        String name = entry;
        if (name.startsWith(LIBS + "/")) {
            name = name.substring(LIBS.length() + 1);
            return name.isEmpty() || name.equals(TranslatorJar.FILE_NAME);
        }
        String inFolder = name.substring(name.indexOf('/') + 1);
        return inFolder.isEmpty()
                || SERVED_FILES.stream().anyMatch(p -> p.matcher(inFolder).matches());
    }

    /** Removes partial zips that an interrupted export left, and says so. */
    private static void cleanPartialZips(Path scratch, String name, Path current)
            throws IOException {
        String prefix = "." + name + ".";
        try (Stream<Path> entries = Files.list(scratch)) {
            for (Path p : entries.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(".zip.partial") && !p.equals(current)) {
                    Files.deleteIfExists(p);
                    AtomicDirectory.notice(
                            scratch + ": removed " + n + ", left by an interrupted export");
                }
            }
        }
    }

    /**
     * Removes what older versions put inside the store (the zip and the lock file), which keeps DJL
     * Serving from using it as a model store; only files an export wrote are removed.
     */
    private static void removeOldLayout(Path root, String name, Path zip) throws IOException {
        Path oldZip = root.resolve(name + ".zip");
        if (isExportZip(oldZip)) {
            Files.delete(oldZip);
            AtomicDirectory.notice(
                    oldZip + ": removed; the zip now goes to " + zip + ", outside the model store");
        }
        Path oldLock = root.resolve("." + name + ".lock");
        if (Files.isRegularFile(oldLock, LinkOption.NOFOLLOW_LINKS) && Files.size(oldLock) == 0) {
            Files.delete(oldLock);
        }
    }

    /**
     * Exports into {@code serving/} beside the trained model's folder, e.g. {@code models/mnist} to
     * {@code models/serving/mnist}, with the zip in {@code models/serving-zip/mnist.zip}.
     *
     * @param trainedDir a saved model folder
     * @return the exported folder
     * @throws IOException as {@link #export(Path, Path)}
     */
    public static Path exportBeside(Path trainedDir) throws IOException {
        return export(trainedDir, besideRoot(trainedDir));
    }

    /** Returns the folder that {@link #exportBeside} exports into. */
    public static Path besideRoot(Path trainedDir) {
        // As the user wrote it where it has a parent, so that messages name what they typed.
        Path parent = trainedDir.normalize().getParent();
        return (parent != null ? parent : trainedDir.toAbsolutePath().normalize().getParent())
                .resolve("serving");
    }

    /**
     * Returns the name a trained folder is served under: the folder's own name, not the one in
     * {@code metadata.json}, so that a renamed copy exports as itself. It goes into {@code
     * serving.properties} and DJL Serving's URLs, so only letters, digits, {@code .}, {@code _} and
     * {@code -} are accepted: a line break or a backslash would add or change settings there.
     *
     * @param trainedDir the trained model's folder
     * @return its name
     * @throws InvalidDataException naming the folder (line breaks made visible) otherwise
     */
    public static String servedName(Path trainedDir) throws InvalidDataException {
        Path file = trainedDir.toAbsolutePath().normalize().getFileName();
        String name = file == null ? "" : file.toString();
        if (!SERVED_NAME.matcher(name).matches()) {
            throw new InvalidDataException(
                    printable(trainedDir.toString()),
                    "the folder's name cannot name a served model: use letters, digits, '.', '_'"
                            + " and '-', starting with a letter or digit");
        }
        return name;
    }

    /** A name as Java would write it in a string literal: line breaks and the like made visible. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : name.toCharArray()) {
            if (c == '\\' || c == '"') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * Fails unless DJL Serving's {@code MlpBlockFactory} can rebuild this network: ReLU hidden
     * layers, at least one of them.
     *
     * @param architecture the trained network
     * @throws InvalidSettingException (setting {@code export}) saying what cannot be served
     */
    public static void check(Architecture architecture) {
        if (architecture.activation() != HiddenActivation.RELU) {
            throw new InvalidSettingException(
                    "export",
                    "needs ReLU: DJL Serving's MlpBlockFactory builds ReLU networks only, not "
                            + architecture.activation().label());
        }
        if (architecture.hidden().isEmpty()) {
            throw new InvalidSettingException(
                    "export",
                    "needs a hidden layer: DJL Serving's MlpBlockFactory needs at least one");
        }
    }

    /** Returns the text of {@code serving.properties} for a model. */
    static String properties(String name, ModelMetadata meta, int[] widths) {
        String hidden =
                java.util.Arrays.stream(widths)
                        .mapToObj(String::valueOf)
                        .collect(Collectors.joining(","));
        return String.join(
                "\n",
                "# The slides' MNIST classifier ("
                        + meta.architecture()
                        + ", "
                        + meta.variant()
                        + " variant, test accuracy "
                        + String.format(Locale.ROOT, "%.4f", meta.testAccuracy())
                        + "), exported by nnkurs for DJL Serving.",
                "engine=PyTorch",
                "option.modelName=" + name,
                "# DJL's MLP: flatten, then Linear/ReLU for each hidden width, then Linear"
                        + " (logits).",
                "blockFactory=ai.djl.basicmodelzoo.basic.MlpBlockFactory",
                "width=" + Lesson.IMAGE_SIDE,
                "height=" + Lesson.IMAGE_SIDE,
                "output=" + Lesson.OUTPUT,
                "hidden=" + hidden,
                "# The translator comes from libs/"
                        + TranslatorJar.FILE_NAME
                        + ": EXIF orientation,"
                        + " gray, dark-on-light",
                "# inverted (invert=auto|never), the digit centred in 28x28 as MNIST was made, then"
                        + " the course's",
                "# Normalize; softmax over the logits, the topK digits as DJL's classification"
                        + " JSON.",
                "translator=" + DigitServingTranslator.class.getName(),
                DigitServingTranslator.INVERT + "=" + Invert.AUTO.label(),
                DigitTranslator.MEAN + "=" + Lesson.NORMALIZE_MEAN,
                DigitTranslator.STD + "=" + Lesson.NORMALIZE_STD,
                DigitTranslator.TOP_K + "=" + DigitClassifier.TOP,
                "# DJL Serving: two workers; each takes the queued requests, up to "
                        + BATCH_SIZE
                        + ", as one batch",
                "# and waits "
                        + BATCH_DELAY_MS
                        + " ms for more. Chosen with scripts/serve-bench"
                        + " (docs/serving.md): without",
                "# batching, some requests waited 1-6 s in DJL Serving's queue at 16 or more"
                        + " clients.",
                "minWorkers=" + WORKERS,
                "maxWorkers=" + WORKERS,
                "batch_size=" + BATCH_SIZE,
                "max_batch_delay=" + BATCH_DELAY_MS,
                "");
    }

    /** Whether a folder's {@code libs/} holds nothing but the translator's jar (or is absent). */
    private static boolean onlyTranslatorJar(Path libs) {
        if (!Files.exists(libs, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        return Files.isDirectory(libs, LinkOption.NOFOLLOW_LINKS)
                && FileChecks.entriesOtherThan(
                                libs,
                                List.of(Pattern.compile(Pattern.quote(TranslatorJar.FILE_NAME))))
                        .isEmpty();
    }

    /** Copies the trained weights into DJL's MLP, in order. */
    private static void copyInto(java.util.Collection<Parameter> trained, Block mlp) {
        List<Parameter> source = new ArrayList<>(trained);
        List<Parameter> target = mlp.getParameters().values();
        if (source.size() != target.size()) {
            throw new IllegalStateException(
                    "trained model has " + source.size() + " weights, the MLP " + target.size());
        }
        NDIndex all = new NDIndex("...");
        for (int i = 0; i < source.size(); i++) {
            target.get(i).getArray().set(all, source.get(i).getArray());
        }
    }

    /**
     * Zips the folder's files at the zip's top level: DJL Serving unpacks such a zip into a folder
     * it can delete whole when the model is unregistered (with a top-level folder, it leaves an
     * empty folder behind that fails the next registration of the same zip).
     */
    private static void zip(Path dir, Path zipFile) throws IOException {
        AtomicFile.write(
                zipFile,
                out -> {
                    try (ZipOutputStream zos = new ZipOutputStream(out);
                            Stream<Path> files = Files.walk(dir)) {
                        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                            zos.putNextEntry(
                                    new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                            Files.copy(f, zos);
                            zos.closeEntry();
                        }
                        zos.finish();
                    }
                });
    }
}
