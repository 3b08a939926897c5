package de.nnkurs.io;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns the JDK's file-system exceptions, whose messages are bare paths, into words. */
public final class Reasons {

    private Reasons() {}

    /**
     * Returns why a file operation failed, e.g. {@code permission denied}.
     *
     * @param e the exception
     * @return a short lowercase reason
     */
    public static String of(FileSystemException e) {
        if (e.getReason() != null && !e.getReason().isBlank()) {
            return e.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        return e.getClass().getSimpleName();
    }

    /**
     * Returns a one-line message naming the file and the reason.
     *
     * @param e the exception
     * @return e.g. {@code /proc/x: permission denied}
     */
    public static String describe(FileSystemException e) {
        return e.getFile() + ": " + of(e);
    }
}
