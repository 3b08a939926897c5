package de.nnkurs.model;

import ai.djl.engine.Engine;
import ai.djl.util.Platform;
import ai.djl.util.Utils;

import de.nnkurs.io.Reasons;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The libtorch files that DJL extracts from the {@code pytorch-native-cpu} jar into its cache
 * ({@code ~/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64}), checked before the engine loads
 * them. DJL itself only looks whether {@code libtorch.so} is there: a truncated {@code
 * libtorch_cpu.so} then crashes the JVM (SIGBUS) on every start, and a deleted one fails as if the
 * model were at fault. Here every file DJL extracts is compared with its entry in the jar (its
 * size); a damaged or missing one is extracted anew, under a temporary name and renamed into place,
 * so that a process still using the old file keeps it. Nothing else in the folder is touched.
 */
public final class LibTorchFiles {

    private static final String ENGINE = "pytorch";
    private static volatile boolean checked;

    /** A file DJL extracts: its name in the cache folder and its resource in the jar. */
    record Extracted(String name, String resource) {}

    private LibTorchFiles() {}

    /**
     * Checks DJL's extracted libtorch once per process and repairs it; does nothing if DJL does not
     * extract libtorch from the classpath here (a libtorch of the user's own, another version, or
     * the folder not yet made).
     *
     * @param notices hears one line per file extracted anew
     * @throws IOException in one line naming the folder and how to fix it, if a damaged file cannot
     *     be extracted anew
     */
    public static void ensureIntact(Consumer<String> notices) throws IOException {
        if (checked) {
            return;
        }
        synchronized (LibTorchFiles.class) {
            if (checked) {
                return;
            }
            Path dir = folder();
            if (dir != null) {
                repair(dir, files(), notices);
            }
            checked = true;
        }
    }

    /**
     * Returns the folder DJL extracts libtorch into, or null where DJL would not extract it from
     * the classpath: {@code PYTORCH_LIBRARY_PATH} or {@code PYTORCH_VERSION} set, or no bundled
     * libtorch jar.
     */
    static Path folder() {
        if (!isBlank(Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH"))
                || !isBlank(Utils.getEnvOrSystemProperty("PYTORCH_VERSION"))) {
            return null;
        }
        Platform platform = Platform.detectPlatform(ENGINE);
        if (platform.isPlaceholder()) {
            return null;
        }
        String flavor = platform.getFlavor();
        if (List.of(platform.getLibraries()).contains("libstdc++.so.6")) {
            flavor += "-precxx11"; // as DJL's LibUtils names the folder
        }
        return Utils.getEngineCacheDir(ENGINE)
                .resolve(platform.getVersion() + '-' + flavor + '-' + platform.getClassifier());
    }

    /** Returns the files DJL extracts into {@link #folder}: libtorch's and its own JNI library. */
    static List<Extracted> files() {
        Platform platform = Platform.detectPlatform(ENGINE);
        List<Extracted> files = new ArrayList<>();
        String base = "pytorch/" + platform.getFlavor() + '/' + platform.getClassifier() + '/';
        for (String library : platform.getLibraries()) {
            files.add(new Extracted(library, base + library));
        }
        String jni = System.mapLibraryName("djl_torch");
        String jniFlavor = platform.getFlavor().startsWith("cu") ? platform.getFlavor() : "cpu";
        files.add(
                new Extracted(
                        Engine.getDjlVersion() + '-' + jni,
                        "jnilib/" + platform.getClassifier() + '/' + jniFlavor + '/' + jni));
        return files;
    }

    /**
     * Extracts anew every file of {@code dir} that is missing or differs in size from its jar
     * entry; does nothing if the folder does not exist yet (DJL extracts it whole).
     *
     * @param dir DJL's folder
     * @param files the files DJL extracts into it
     * @param notices hears one line per file extracted anew
     * @return the names of the files extracted anew
     * @throws IOException in one line naming the folder and how to fix it
     */
    static List<String> repair(Path dir, List<Extracted> files, Consumer<String> notices)
            throws IOException {
        List<String> repaired = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return repaired;
        }
        for (Extracted f : files) {
            URL url = LibTorchFiles.class.getClassLoader().getResource(f.resource());
            if (url == null) {
                continue; // not bundled: DJL does not extract it either
            }
            long expected = size(url);
            Path file = dir.resolve(f.name());
            long actual =
                    Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : -1;
            if (expected < 0 || actual == expected) {
                continue;
            }
            String damage =
                    actual < 0
                            ? f.name()
                                    + (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                                            ? " is not a file"
                                            : " is missing")
                            : f.name()
                                    + " is damaged ("
                                    + actual
                                    + " bytes, the engine's jar holds "
                                    + expected
                                    + ")";
            extract(url, expected, dir, file, damage);
            repaired.add(f.name());
            notices.accept(dir + ": " + damage + "; extracted it anew from the engine's jar");
        }
        return repaired;
    }

    private static void extract(URL url, long expected, Path dir, Path file, String damage)
            throws IOException {
        Path partial = dir.resolve("." + file.getFileName() + ".nnkurs-" + UUID.randomUUID());
        try {
            long copied;
            try (InputStream in = url.openStream()) {
                copied = Files.copy(in, partial);
            }
            if (copied != expected) {
                throw new IOException("the jar gave " + copied + " bytes instead of " + expected);
            }
            Files.move(
                    partial,
                    file,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            String reason =
                    e instanceof FileSystemException fse
                            ? Reasons.of(fse)
                            : String.valueOf(e.getMessage());
            throw new IOException(
                    dir
                            + ": "
                            + damage
                            + " and cannot be extracted anew ("
                            + reason
                            + "); delete this folder, and DJL extracts libtorch again on the next"
                            + " run",
                    e);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Returns the size of a resource as its jar says, without reading it; -1 if unknown. */
    private static long size(URL url) {
        try {
            if ("jar".equals(url.getProtocol())) {
                String spec = url.getPath(); // file:/…/x.jar!/pytorch/…
                int bang = spec.indexOf("!/");
                if (bang < 0) {
                    return -1;
                }
                try (JarFile jar =
                        new JarFile(Path.of(new URL(spec.substring(0, bang)).toURI()).toFile())) {
                    JarEntry entry = jar.getJarEntry(spec.substring(bang + 2));
                    return entry == null ? -1 : entry.getSize();
                }
            }
            if ("file".equals(url.getProtocol())) {
                return Files.size(Path.of(url.toURI()));
            }
            return -1;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
