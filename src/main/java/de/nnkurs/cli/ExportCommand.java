package de.nnkurs.cli;

import de.nnkurs.export.ServingFolder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nnkurs export}: a trained model as a folder and zip that DJL Serving serves as is. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Export a trained model for DJL Serving: DIR/<name>/ (parameters,"
                        + " serving.properties, synset.txt, metadata.json), and the same files as"
                        + " DIR-zip/<name>.zip; DIR holds model folders only, so DJL Serving can"
                        + " use it as its model store.")
final class ExportCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private ModelOption.Trained trained;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "model store that receives the export folder (default: ${DEFAULT-VALUE})")
    private Path output = ServingFolder.DEFAULT_ROOT;

    @Override
    public Integer call() throws Exception {
        Path folder = ServingFolder.export(trained.require(spec), output);
        spec.commandLine()
                .getOut()
                .printf("Exported %s and %s%n", folder, ServingFolder.zipFor(folder));
        return 0;
    }
}
