package de.nnkurs.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** Writes a file under a temporary name beside it and renames it into place when complete. */
public final class AtomicFile {

    /** Writes a file's content. */
    @FunctionalInterface
    public interface Contents {
        /**
         * Writes everything to {@code out}.
         *
         * @param out the stream; closed by the caller
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {}

    /**
     * Returns the exception with the target's name in front where it names no file: "No space left
     * on device" alone does not say which file could not be written. Subclasses that carry their
     * own file (such as the data readers' errors) pass through unchanged.
     */
    static IOException named(Path target, IOException e) {
        if (e instanceof FileSystemException fse) {
            // The target, never the temporary file beside it, which the user never named.
            return new IOException(target + ": cannot write here (" + Reasons.of(fse) + ")", e);
        }
        if (e.getClass() != IOException.class) {
            return e;
        }
        String message = e.getMessage() == null ? "write failed" : e.getMessage();
        return new IOException(target + ": " + message, e);
    }

    /**
     * Writes {@code target} atomically; on failure the previous file (if any) is unchanged.
     *
     * @param target the file to create or replace
     * @param contents what goes into it
     * @throws IOException if writing fails
     */
    public static void write(Path target, Contents contents) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw new IOException(target + ": is a folder, not a file to write");
        }
        Path partial;
        try {
            Files.createDirectories(absolute.getParent());
            // Not createTempFile: that makes the file private to its owner.
            partial =
                    Files.createFile(
                            absolute.resolveSibling(
                                    "."
                                            + absolute.getFileName()
                                            + "."
                                            + UUID.randomUUID()
                                            + ".partial"));
        } catch (FileSystemException e) {
            throw new IOException(target + ": cannot write here (" + Reasons.of(e) + ")", e);
        }
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
                contents.writeTo(out);
            } catch (IOException e) {
                throw named(target, e);
            }
            try {
                Files.move(
                        partial,
                        absolute,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw named(target, e);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
