package de.nnkurs.export;

import java.nio.file.Path;

/** Runs one export in its own JVM, for {@link ServingFolderCrashIT} to kill at a step. */
final class ExportChild {

    private ExportChild() {}

    public static void main(String[] args) throws Exception {
        ServingFolder.export(Path.of(args[0]), Path.of(args[1]));
    }
}
