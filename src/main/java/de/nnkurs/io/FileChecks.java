package de.nnkurs.io;

import de.nnkurs.InvalidSettingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Checks on the files a setting names, made before any long work starts; each failure is an {@link
 * InvalidSettingException} naming the setting and the file.
 */
public final class FileChecks {

    private FileChecks() {}

    /** Fails unless {@code file} exists as a regular file. */
    public static void existingFile(String setting, Path file) {
        if (Files.isDirectory(file)) {
            throw new InvalidSettingException(setting, file + ": is a folder, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidSettingException(setting, file + ": no such file");
        }
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
     * Fails if {@code dir} holds files but lacks {@code marker}: a folder of something else, which
     * must not be replaced.
     *
     * @param setting the setting that names the folder
     * @param dir the folder to be written
     * @param marker the file every folder of this kind holds, e.g. {@code metadata.json}
     * @param kind what such a folder is, e.g. {@code a model folder}
     */
    public static void replaceable(String setting, Path dir, String marker, String kind) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidSettingException(setting, dir + ": exists and is not a folder");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent() && !Files.isRegularFile(dir.resolve(marker))) {
                throw new InvalidSettingException(
                        setting,
                        dir
                                + ": exists and is not "
                                + kind
                                + " (no "
                                + marker
                                + "); not replacing it");
            }
        } catch (IOException e) {
            throw new InvalidSettingException(
                    setting, dir + ": cannot be read (" + e.getMessage() + ")");
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
