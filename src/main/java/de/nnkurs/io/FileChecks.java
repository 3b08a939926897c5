package de.nnkurs.io;

import de.nnkurs.InvalidSettingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks on the files a setting names, made before any long work starts; each failure is an {@link
 * InvalidSettingException} naming the setting and the file.
 */
public final class FileChecks {

    private FileChecks() {}

    /** Fails unless {@code file} exists as a regular file. */
    public static void existingFile(String setting, Path file) {
        exists(setting, file);
        if (!Files.isRegularFile(file)) {
            throw new InvalidSettingException(
                    setting, file + ": not a regular file (a pipe or a device); expected a file");
        }
    }

    /**
     * Fails unless something other than a folder exists at {@code file}; whether it can be read as
     * a file is for its reader to say.
     */
    public static void exists(String setting, Path file) {
        if (Files.isDirectory(file)) {
            throw new InvalidSettingException(setting, file + ": is a folder, not a file");
        }
        if (!Files.exists(file)) {
            throw new InvalidSettingException(setting, file + ": no such file");
        }
    }

    /**
     * Says what a path is if it is neither a regular file nor a folder (nor missing): such a file
     * (a FIFO, a device) can block a reader forever or never end, so it is refused before it is
     * opened.
     *
     * @param file the path, symbolic links followed
     * @return e.g. {@code a FIFO (named pipe)}, or null for a regular file, a folder or nothing
     */
    public static String special(Path file) {
        java.nio.file.attribute.BasicFileAttributes attributes;
        try {
            attributes =
                    Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (IOException e) {
            return null; // missing or unreadable: the caller's own check says so
        }
        if (!attributes.isOther()) {
            return null;
        }
        int mode;
        try {
            mode = (Integer) Files.getAttribute(file, "unix:mode");
        } catch (IOException | RuntimeException e) {
            return "not a regular file";
        }
        return switch (mode & 0170000) {
            case 0010000 -> "a FIFO (named pipe), not a regular file";
            case 0020000 -> "a character device, not a regular file";
            case 0060000 -> "a block device, not a regular file";
            case 0140000 -> "a socket, not a regular file";
            default -> "not a regular file";
        };
    }

    /** Fails unless {@code dir} exists as a folder. */
    public static void existingFolder(String setting, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidSettingException(setting, dir + ": not a folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidSettingException(setting, dir + ": no such folder");
        }
    }

    /**
     * Fails if a file could not be written at {@code target}: a folder is there, or its nearest
     * folder is read-only.
     *
     * @param setting the setting that names the file, e.g. {@code save-record}
     * @param target the file to be written
     */
    public static void writableFile(String setting, Path target) {
        if (Files.isDirectory(target)) {
            throw new InvalidSettingException(
                    setting, target + ": is a folder; name the file to write");
        }
        writable(setting, target);
    }

    /** Fails if a file could not be created at {@code target}: its nearest folder is read-only. */
    public static void writable(String setting, Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getParent() == null) {
            throw new InvalidSettingException(setting, target + ": cannot write there");
        }
        Path existing = absolute.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new InvalidSettingException(
                    setting,
                    target + ": cannot write there (" + existing + " is not a writable folder)");
        }
    }

    /**
     * Fails if {@code dir} holds files but is not a folder of the given kind, which must then not
     * be replaced: a mistyped target never wipes unrelated files.
     *
     * @param setting the setting that names the folder
     * @param dir the folder to be written
     * @param strangers returns the entries of a folder that a folder of this kind never holds
     * @param kind what such a folder is, e.g. {@code a model folder}
     */
    public static void replaceable(
            String setting, Path dir, Function<Path, List<String>> strangers, String kind) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidSettingException(setting, dir + ": exists and is not a folder");
        }
        List<String> foreign = strangers.apply(dir);
        if (!foreign.isEmpty()) {
            throw new InvalidSettingException(
                    setting,
                    dir
                            + ": exists and is not "
                            + kind
                            + " (it holds "
                            + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                            + (foreign.size() > 3 ? ", …" : "")
                            + "); not replacing it");
        }
    }

    /**
     * Lists the entries of a folder that do not match any of the patterns, sorted.
     *
     * @param dir the folder
     * @param allowed what the folder may hold, e.g. {@code metadata\\.json}
     * @return the names of the other entries; a folder that cannot be read lists itself
     */
    public static List<String> entriesOtherThan(Path dir, List<Pattern> allowed) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> allowed.stream().noneMatch(a -> a.matcher(name).matches()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of(dir + " (unreadable: " + e.getMessage() + ")");
        }
    }

    /** Fails unless the file name ends in one of the extensions (case-insensitively). */
    public static void extension(String setting, Path file, String what, String... extensions) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        for (String ext : extensions) {
            if (name.endsWith(ext)) {
                return;
            }
        }
        throw new InvalidSettingException(
                setting, file + ": " + what + " files end in " + String.join(" or ", extensions));
    }
}
