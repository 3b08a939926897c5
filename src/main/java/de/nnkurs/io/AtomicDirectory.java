package de.nnkurs.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes a folder under a temporary name and renames it into place when complete, so a crash or an
 * error never leaves a half-written folder under the real name, and an earlier folder survives a
 * failed write.
 */
public final class AtomicDirectory {

    /** Fills a folder. */
    @FunctionalInterface
    public interface Contents {
        /**
         * Writes everything into {@code dir}.
         *
         * @param dir an empty temporary folder beside the target
         * @throws IOException if writing fails
         */
        void writeTo(Path dir) throws IOException;
    }

    private AtomicDirectory() {}

    /**
     * Writes {@code target} atomically, replacing an existing folder only if it is empty or {@code
     * replaceable} accepts it, so that a mistyped target never wipes unrelated files.
     *
     * @param target the folder to create or replace
     * @param replaceable says whether an existing, non-empty folder may be replaced
     * @param kind what such a folder is, for the error, e.g. {@code "a model folder"}
     * @param contents what goes into it
     * @throws IOException if writing fails; {@code target} is then unchanged
     */
    public static void write(
            Path target, Predicate<Path> replaceable, String kind, Contents contents)
            throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new IOException(target + ": cannot write a folder here");
        }
        String name = absolute.getFileName().toString();
        if (Files.exists(absolute)) {
            if (!Files.isDirectory(absolute)) {
                throw new IOException(target + ": exists and is not a folder");
            }
            if (!isEmpty(absolute) && !replaceable.test(absolute)) {
                throw new IOException(
                        target + ": exists and is not " + kind + "; not replacing it");
            }
        }
        Path partial;
        try {
            Files.createDirectories(parent);
            partial = Files.createDirectory(parent.resolve(hidden(name, "partial")));
        } catch (FileSystemException e) {
            throw new IOException(target + ": cannot write here (" + Reasons.of(e) + ")", e);
        }
        try {
            try {
                contents.writeTo(partial);
            } catch (IOException e) {
                throw AtomicFile.named(target, e);
            }
            if (Files.exists(absolute)) {
                Path old = parent.resolve(hidden(name, "old"));
                Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
                try {
                    Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.move(old, absolute, StandardCopyOption.ATOMIC_MOVE); // put it back
                    throw e;
                }
                deleteTree(old);
            } else {
                Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteTree(partial);
        }
    }

    /**
     * Writes {@code target} atomically; an existing folder is replaced only if it is empty.
     *
     * @param target the folder to create
     * @param contents what goes into it
     * @throws IOException if writing fails; {@code target} is then unchanged
     */
    public static void write(Path target, Contents contents) throws IOException {
        write(target, dir -> false, "an empty folder", contents);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** A name beside the target that no one mistakes for a finished folder. */
    private static String hidden(String name, String state) {
        return "." + name + "." + state + "-" + UUID.randomUUID();
    }

    /**
     * Deletes a file or folder with everything in it; does nothing if it does not exist.
     *
     * @param root the file or folder
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
