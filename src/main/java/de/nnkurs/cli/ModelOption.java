package de.nnkurs.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --model DIR} for the commands that use an exported model. */
final class ModelOption {

    @Option(
            names = "--model",
            paramLabel = "DIR",
            defaultValue = ExportCommand.DEFAULT_ROOT + "/mnist",
            description = "exported model folder or zip (default: ${DEFAULT-VALUE})")
    Path model;

    /** Returns the model path, or fails as a usage error if there is nothing there. */
    Path require(CommandSpec spec) {
        if (!Files.exists(model)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--model " + model + ": no such folder (export one first: nnkurs export)");
        }
        return model;
    }
}
