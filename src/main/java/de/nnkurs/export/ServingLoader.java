package de.nnkurs.export;

import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;

import de.nnkurs.data.InvalidDataException;
import de.nnkurs.data.Sha256;
import de.nnkurs.io.AtomicDirectory;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads an exported folder (or its zip) the way DJL Serving does: {@code serving.properties} keys
 * become {@link Criteria} arguments, {@code option.*} keys its options.
 */
public final class ServingLoader {

    /** The largest serving.properties read: the export writes about 1 KB. */
    static final int MAX_PROPERTIES_BYTES = 1 << 20;

    /** The most entries an exported zip may have: the export writes four. */
    static final int MAX_ENTRIES = 64;

    /** The largest entry unpacked: far above the widest model's parameters. */
    static final long MAX_ENTRY_BYTES = 1L << 28;

    /** The most a whole zip may unpack to. */
    static final long MAX_TOTAL_BYTES = 1L << 30;

    /** The highest compression ratio accepted for an entry over 1 MB. */
    static final long MAX_RATIO = 100;

    private ServingLoader() {}

    /**
     * Reads {@code serving.properties} from a folder or from the top-level folder of a zip.
     *
     * @param model the exported folder or zip
     * @return the properties
     * @throws InvalidDataException naming the file if there is none or it cannot be read
     * @throws IOException if reading fails
     */
    public static Properties properties(Path model) throws IOException {
        Properties properties = new Properties();
        if (Files.isDirectory(model)) {
            Path file = model.resolve(ServingFolder.PROPERTIES);
            if (!Files.isRegularFile(file)) {
                throw new InvalidDataException(
                        model, "no serving.properties: not an exported model (run nnkurs export)");
            }
            if (Files.size(file) > MAX_PROPERTIES_BYTES) {
                throw new InvalidDataException(
                        file,
                        Files.size(file)
                                + " bytes; a serving.properties has at most "
                                + MAX_PROPERTIES_BYTES);
            }
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(r);
            }
            return properties;
        }
        if (!Files.isRegularFile(model)) {
            throw new InvalidDataException(model, "no such folder or zip");
        }
        try (ZipFile zip = new ZipFile(model.toFile())) {
            ZipEntry entry =
                    zip.stream()
                            .filter(
                                    e ->
                                            e.getName().endsWith("/" + ServingFolder.PROPERTIES)
                                                    || e.getName().equals(ServingFolder.PROPERTIES))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new InvalidDataException(
                                                    model, "zip holds no serving.properties"));
            if (entry.getSize() < 0 || entry.getSize() > MAX_PROPERTIES_BYTES) {
                throw new InvalidDataException(
                        model,
                        entry.getName()
                                + " declares "
                                + entry.getSize()
                                + " bytes; a serving.properties has at most "
                                + MAX_PROPERTIES_BYTES);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                byte[] text = in.readNBytes(MAX_PROPERTIES_BYTES + 1);
                if (text.length > MAX_PROPERTIES_BYTES) {
                    throw new InvalidDataException(
                            model, entry.getName() + " is larger than it declares");
                }
                properties.load(new StringReader(new String(text, StandardCharsets.UTF_8)));
            }
            return properties;
        } catch (java.util.zip.ZipException e) {
            throw new InvalidDataException(model, "not a zip file (" + e.getMessage() + ")", e);
        } catch (InvalidDataException e) {
            throw e;
        } catch (IOException e) {
            // A damaged entry: the inflater's own words, with the file's name in front.
            throw new InvalidDataException(model, "damaged zip (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Returns the criteria DJL Serving would build for the model.
     *
     * @param model the exported folder or zip
     * @param input the input class, e.g. DJL Serving's {@code Input}
     * @param output the output class, e.g. {@code Output}
     * @param <I> the input type
     * @param <O> the output type
     * @return the criteria
     * @throws IOException if {@code serving.properties} is missing or unreadable
     */
    public static <I, O> Criteria<I, O> criteria(Path model, Class<I> input, Class<O> output)
            throws IOException {
        return builder(model, input, output).build();
    }

    private static <I, O> Criteria.Builder<I, O> builder(
            Path model, Class<I> input, Class<O> output) throws IOException {
        Map<String, Object> arguments = new HashMap<>();
        Map<String, String> options = new HashMap<>();
        properties(model)
                .forEach(
                        (k, v) -> {
                            String key = k.toString();
                            if (key.startsWith("option.")) {
                                options.put(key.substring("option.".length()), v.toString());
                            } else {
                                arguments.put(key, v.toString());
                            }
                        });
        return Criteria.builder()
                .setTypes(input, output)
                .optModelPath(model.toAbsolutePath())
                .optArguments(arguments)
                .optOptions(options);
    }

    /**
     * Loads an exported model with a translator of the caller's, or (translator {@code null}) with
     * the one its {@code serving.properties} names, as DJL Serving does.
     *
     * <p>A zip is unpacked into a folder named after the sha256 of its content, under a private
     * folder of the user's in the system's temporary folder (0700, checked to be the user's before
     * use), and loaded from there; an existing copy is compared with the zip byte for byte and
     * never loaded if it differs. DJL's own zip handling caches the unpacked files by the zip's
     * path, so a model re-exported under the same path would be served from the stale copy; keyed
     * by content, a new export always gets a new folder.
     *
     * @param model the exported folder or zip
     * @param input the input class
     * @param output the output class
     * @param translator the translator, or {@code null} for the export's own
     * @param <I> the input type
     * @param <O> the output type
     * @return the model; the caller closes it
     * @throws IOException if the folder is not an exported model or cannot be loaded
     */
    public static <I, O> ZooModel<I, O> load(
            Path model, Class<I> input, Class<O> output, Translator<I, O> translator)
            throws IOException {
        try (AtomicDirectory.Lock reading = reading(model)) {
            return loadFolder(unpacked(model), input, output, translator);
        }
    }

    /**
     * Takes the readers' lock of an exported folder, so that an export replacing it meanwhile
     * cannot mix its files with the old ones; a zip needs none (it is replaced whole).
     *
     * @param model the exported folder or zip
     * @return the held lock; close it when everything is read
     * @throws IOException if an export does not finish replacing it in time
     */
    public static AtomicDirectory.Lock reading(Path model) throws IOException {
        Path absolute = model.toAbsolutePath().normalize();
        if (!Files.isDirectory(model)
                || absolute.getParent() == null
                || absolute.getParent().getParent() == null) {
            return () -> {};
        }
        return AtomicDirectory.shared(model, ServingFolder.scratchFor(absolute.getParent()));
    }

    /** Returns the folder to load: the folder itself, or the checked unpacked copy of a zip. */
    private static Path unpacked(Path model) throws IOException {
        if (Files.isDirectory(model)) {
            return model;
        }
        properties(model); // a clear error for a missing file or a zip without serving.properties
        Path cache = privateCache();
        Path unpacked = cache.resolve(Sha256.of(model));
        if (Files.isDirectory(unpacked) && !sameContent(model, unpacked)) {
            // Not what this zip unpacks to (damaged: the folder is the user's own): unpack again.
            AtomicDirectory.deleteTree(unpacked);
        }
        if (!Files.isDirectory(unpacked)) {
            Path partial = Files.createTempDirectory(cache, ".partial-");
            try {
                unzip(model, partial);
                Files.move(partial, unpacked, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another process unpacked the same zip first; its copy is checked below.
            } finally {
                AtomicDirectory.deleteTree(partial);
            }
            if (!sameContent(model, unpacked)) {
                throw new InvalidDataException(
                        unpacked, "differs from " + model + " after unpacking");
            }
        }
        return folderWithProperties(model, unpacked);
    }

    /** Returns the cache folder for this user: created private (0700) and checked before use. */
    static Path cacheFolder() {
        return Path.of(
                System.getProperty("java.io.tmpdir"),
                "nnkurs-models-" + System.getProperty("user.name", "user"));
    }

    private static Path privateCache() throws IOException {
        Path cache = cacheFolder();
        boolean posix = cache.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.exists(cache, LinkOption.NOFOLLOW_LINKS)) {
            try {
                if (posix) {
                    Files.createDirectory(
                            cache,
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(cache);
                }
            } catch (FileAlreadyExistsException e) {
                // created meanwhile; checked below like any existing folder
            }
        }
        if (posix) {
            UserPrincipal me =
                    cache.getFileSystem()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName(System.getProperty("user.name"));
            boolean ours =
                    Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS)
                            && me.equals(Files.getOwner(cache, LinkOption.NOFOLLOW_LINKS))
                            && Files.getPosixFilePermissions(cache, LinkOption.NOFOLLOW_LINKS)
                                    .equals(PosixFilePermissions.fromString("rwx------"));
            if (!ours
                    && Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS)
                    && me.equals(Files.getOwner(cache, LinkOption.NOFOLLOW_LINKS))) {
                // Ours but open to others (an older version made it so): close it.
                Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
                ours = true;
            }
            if (!ours) {
                // Someone else's: use a fresh private folder for this run, removed at exit.
                Path own = Files.createTempDirectory("nnkurs-models-");
                Runtime.getRuntime()
                        .addShutdownHook(
                                new Thread(
                                        () -> {
                                            try {
                                                AtomicDirectory.deleteTree(own);
                                            } catch (IOException e) {
                                                // a temporary folder; the system cleans it
                                            }
                                        }));
                return own;
            }
        }
        return cache;
    }

    /** Whether {@code folder} holds exactly the zip's files, byte for byte. */
    static boolean sameContent(Path zipFile, Path folder) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        int files = 0;
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.isDirectory()) {
                    continue;
                }
                files++;
                Path file = root.resolve(entry.getName()).normalize();
                if (!file.startsWith(root)
                        || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        || Files.size(file) != entry.getSize()) {
                    return false;
                }
                try (InputStream a = zip.getInputStream(entry);
                        InputStream b = Files.newInputStream(file)) {
                    if (!Arrays.equals(a.readAllBytes(), b.readAllBytes())) {
                        return false;
                    }
                }
            }
        }
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).count() == files;
        }
    }

    private static <I, O> ZooModel<I, O> loadFolder(
            Path folder, Class<I> input, Class<O> output, Translator<I, O> translator)
            throws IOException {
        try {
            Criteria.Builder<I, O> builder = builder(folder, input, output);
            if (translator != null) {
                builder.optTranslator(translator);
            }
            ZooModel<I, O> loaded = builder.build().loadModel();
            try {
                checkShapes(folder, properties(folder), loaded);
            } catch (InvalidDataException e) {
                loaded.close();
                throw e;
            }
            return loaded;
        } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new InvalidDataException(
                    folder, "cannot load the exported model (" + e.getMessage() + ")");
        }
    }

    /**
     * Fails unless the loaded parameters have the shapes {@code serving.properties} declares for
     * DJL's MLP ({@code width}×{@code height} inputs, {@code hidden} widths, {@code output}
     * classes): DJL reads arrays of any shape into the block, and a network that does not fit its
     * files answers nonsense or fails on the first picture.
     */
    static void checkShapes(Path folder, Properties properties, ZooModel<?, ?> model)
            throws InvalidDataException {
        if (!"ai.djl.basicmodelzoo.basic.MlpBlockFactory"
                .equals(properties.getProperty("blockFactory"))) {
            return;
        }
        Path file = folder.resolve(ServingFolder.PROPERTIES);
        long[] widths;
        String hidden = properties.getProperty("hidden", "");
        try {
            String[] parts = hidden.isBlank() ? new String[0] : hidden.split(",", -1);
            widths = new long[parts.length + 2];
            widths[0] =
                    Long.parseLong(properties.getProperty("width", "").trim())
                            * Long.parseLong(properties.getProperty("height", "").trim());
            for (int i = 0; i < parts.length; i++) {
                widths[i + 1] = Long.parseLong(parts[i].trim());
            }
            widths[parts.length + 1] = Long.parseLong(properties.getProperty("output", "").trim());
        } catch (NumberFormatException e) {
            throw new InvalidDataException(
                    file,
                    "width, height, hidden or output is not a number (" + e.getMessage() + ")");
        }
        List<ai.djl.nn.Parameter> loaded = model.getBlock().getParameters().values();
        String params = parametersName(folder);
        for (int layer = 0; layer + 1 < widths.length; layer++) {
            ai.djl.ndarray.types.Shape[] needs = {
                new ai.djl.ndarray.types.Shape(widths[layer + 1], widths[layer]),
                new ai.djl.ndarray.types.Shape(widths[layer + 1])
            };
            for (int k = 0; k < 2; k++) {
                int index = 2 * layer + k;
                String what = "layer " + (layer + 1) + (k == 0 ? " weight" : " bias");
                boolean present = index < loaded.size();
                var array = present ? loaded.get(index).getArray() : null;
                var got = array == null ? null : array.getShape();
                if (!needs[k].equals(got)) {
                    String found =
                            !present
                                    ? " has no such parameter"
                                    : " holds "
                                            + (got == null ? "nothing" : ModelFolder.shape(got));
                    throw new InvalidDataException(
                            file,
                            "hidden="
                                    + hidden
                                    + " needs "
                                    + what
                                    + " "
                                    + ModelFolder.shape(needs[k])
                                    + ", "
                                    + params
                                    + found);
                }
            }
        }
        if (loaded.size() != 2 * (widths.length - 1)) {
            throw new InvalidDataException(
                    file,
                    "hidden="
                            + hidden
                            + " needs "
                            + 2 * (widths.length - 1)
                            + " parameters, "
                            + params
                            + " holds "
                            + loaded.size());
        }
    }

    /** The name of the folder's parameters file, for messages. */
    private static String parametersName(Path folder) {
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".params"))
                    .sorted()
                    .findFirst()
                    .orElse("the parameters file");
        } catch (IOException e) {
            return "the parameters file";
        }
    }

    /**
     * Unpacks a zip into {@code target}, refusing entries that would land outside it, and zips
     * whose entries are too many, too large or too compressed to be an exported model (a zip bomb
     * must not fill the temporary folder).
     */
    private static void unzip(Path zipFile, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            if (entries.size() > MAX_ENTRIES) {
                throw new InvalidDataException(
                        zipFile, entries.size() + " entries; an exported model has a handful");
            }
            long total = 0;
            for (ZipEntry entry : entries) {
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new InvalidDataException(
                            zipFile, "entry " + entry.getName() + " leaves the zip's folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                long declared = entry.getSize();
                long packed = entry.getCompressedSize();
                if (declared < 0
                        || declared > MAX_ENTRY_BYTES
                        || (declared > 1 << 20 && packed > 0 && declared / packed > MAX_RATIO)) {
                    throw new InvalidDataException(
                            zipFile,
                            String.format(
                                    Locale.ROOT,
                                    "entry %s declares %d bytes (%d packed); at most %d bytes and"
                                            + " a ratio of %d are accepted",
                                    entry.getName(),
                                    declared,
                                    packed,
                                    MAX_ENTRY_BYTES,
                                    MAX_RATIO));
                }
                total += declared;
                if (total > MAX_TOTAL_BYTES) {
                    throw new InvalidDataException(
                            zipFile, "unpacks to more than " + MAX_TOTAL_BYTES + " bytes");
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zip.getInputStream(entry);
                        OutputStream os = Files.newOutputStream(out)) {
                    // Never more than declared, whatever the stream says.
                    long copied = in.transferTo(new BoundedOutput(os, declared, zipFile, entry));
                    if (copied != declared) {
                        throw new InvalidDataException(
                                zipFile,
                                "entry "
                                        + entry.getName()
                                        + " holds "
                                        + copied
                                        + " bytes, not "
                                        + declared);
                    }
                }
            }
        }
    }

    /** Passes bytes on and fails as soon as more arrive than the entry declared. */
    private static final class BoundedOutput extends FilterOutputStream {
        private final long limit;
        private final Path zip;
        private final ZipEntry entry;
        private long written;

        BoundedOutput(OutputStream out, long limit, Path zip, ZipEntry entry) {
            super(out);
            this.limit = limit;
            this.zip = zip;
            this.entry = entry;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > limit) {
                throw new InvalidDataException(
                        zip, "entry " + entry.getName() + " is larger than it declares");
            }
            out.write(b, off, len);
        }
    }

    /** Returns the folder inside the unpacked zip that holds {@code serving.properties}. */
    private static Path folderWithProperties(Path zipFile, Path unpacked) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(unpacked, 2)) {
            return files.filter(p -> p.getFileName().toString().equals(ServingFolder.PROPERTIES))
                    .map(Path::getParent)
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new InvalidDataException(
                                            zipFile, "zip holds no serving.properties"));
        }
    }
}
