package de.nnkurs.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
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
     * Writes {@code target} atomically.
     *
     * @param target the folder to create or replace
     * @param contents what goes into it
     * @throws IOException if writing fails; {@code target} is then unchanged
     */
    public static void write(Path target, Contents contents) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        String name = absolute.getFileName().toString();
        Files.createDirectories(parent);
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new IOException(target + ": exists and is not a folder");
        }
        Path partial = Files.createDirectory(parent.resolve(hidden(name, "partial")));
        try {
            contents.writeTo(partial);
            if (Files.exists(absolute)) {
                Path old = parent.resolve(hidden(name, "old"));
                Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteTree(partial);
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
