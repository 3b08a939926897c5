package de.nnkurs.cli;

import de.nnkurs.export.ServingFolder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
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

    /** Where exports go unless {@code --to} says otherwise. */
    static final String DEFAULT_ROOT = "models/serving";

    @Spec private CommandSpec spec;

    @Parameters(
            paramLabel = "MODEL",
            arity = "0..1",
            defaultValue = "models/mnist",
            description = "trained model folder (default: ${DEFAULT-VALUE})")
    private Path model;

    @Option(
            names = "--to",
            paramLabel = "DIR",
            defaultValue = DEFAULT_ROOT,
            description =
                    "model store that receives the export folder (default: ${DEFAULT-VALUE})")
    private Path root;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(model)) {
            throw new ParameterException(
                    spec.commandLine(),
                    model
                            + (Files.exists(model) ? ": not a folder" : ": no such folder")
                            + " (train a model first: nnkurs train)");
        }
        Path folder = ServingFolder.export(model, root);
        spec.commandLine()
                .getOut()
                .printf("Exported %s and %s%n", folder, ServingFolder.zipFor(folder));
        return 0;
    }
}
