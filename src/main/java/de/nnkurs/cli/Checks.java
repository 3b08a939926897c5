package de.nnkurs.cli;

import de.nnkurs.export.ModelMetadata;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Argument checks shared by the commands; each failure is a one-line usage error. */
final class Checks {

    private Checks() {}

    /** Fails unless {@code file} exists as a regular file. */
    static void existingFile(CommandSpec spec, String option, Path file) {
        if (Files.isDirectory(file)) {
            throw usage(spec, option + file + ": is a folder, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw usage(spec, option + file + ": no such file");
        }
    }

    /** Fails unless {@code dir} exists as a folder. */
    static void existingFolder(CommandSpec spec, String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw usage(spec, option + dir + ": not a folder");
        }
        if (!Files.isDirectory(dir)) {
            throw usage(spec, option + dir + ": no such folder");
        }
    }

    /** Fails if a file could not be created at {@code target}: its nearest folder is read-only. */
    static void writable(CommandSpec spec, String option, Path target) {
        Path existing = target.toAbsolutePath().normalize().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw usage(
                    spec,
                    option
                            + target
                            + ": cannot write there ("
                            + existing
                            + " is not a writable folder)");
        }
    }

    /** Fails if {@code dir} holds files but is not a model folder, so it must not be replaced. */
    static void replaceableModelFolder(CommandSpec spec, String option, Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw usage(spec, option + dir + ": exists and is not a folder");
        }
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()
                    && !Files.isRegularFile(dir.resolve(ModelMetadata.FILE_NAME))) {
                throw usage(
                        spec,
                        option
                                + dir
                                + ": exists and is not a model folder (no metadata.json);"
                                + " not replacing it");
            }
        } catch (java.io.IOException e) {
            throw usage(spec, option + dir + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Fails unless the file name ends in one of the extensions (case-insensitively). */
    static void extension(CommandSpec spec, Path file, String what, String... extensions) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String ext : extensions) {
            if (name.endsWith(ext)) {
                return;
            }
        }
        throw usage(spec, file + ": " + what + " files end in " + String.join(" or ", extensions));
    }

    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
