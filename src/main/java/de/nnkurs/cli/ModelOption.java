package de.nnkurs.cli;

import de.nnkurs.export.ModelFolder;
import de.nnkurs.export.ServingFolder;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --model DIR}: the model a command reads. Two flavours share the name: a trained model
 * folder ({@code export}, {@code weights export}) and an exported one ({@code predict}, {@code
 * evaluate}).
 */
abstract class ModelOption {

    /** Returns the folder (or zip) given with {@code --model}, or the default. */
    abstract Path model();

    /** What to do when the model is missing, e.g. {@code train one first: nnkurs train}. */
    abstract String hint();

    /** Returns the model path, or fails as a usage error if there is nothing there. */
    Path require(CommandSpec spec) {
        Path model = model();
        if (!Files.exists(model)) {
            throw new ParameterException(
                    spec.commandLine(), "--model " + model + ": no such folder (" + hint() + ")");
        }
        return model;
    }

    /** {@code --model} for a folder written by {@code train}. */
    static final class Trained extends ModelOption {
        @Option(
                names = "--model",
                paramLabel = "DIR",
                description = "trained model folder (default: ${DEFAULT-VALUE})")
        Path model = ModelFolder.DEFAULT;

        @Override
        Path model() {
            return model;
        }

        @Override
        String hint() {
            return "train one first: nnkurs train";
        }

        @Override
        Path require(CommandSpec spec) {
            Path dir = super.require(spec);
            if (!Files.isDirectory(dir)) {
                throw new ParameterException(
                        spec.commandLine(), "--model " + dir + ": not a folder (" + hint() + ")");
            }
            return dir;
        }
    }

    /** {@code --model} for a folder or zip written by {@code export}. */
    static final class Exported extends ModelOption {
        @Option(
                names = "--model",
                paramLabel = "DIR",
                description = "exported model folder or zip (default: ${DEFAULT-VALUE})")
        Path model = ServingFolder.DEFAULT_ROOT.resolve(ModelFolder.DEFAULT.getFileName());

        @Override
        Path model() {
            return model;
        }

        @Override
        String hint() {
            return "export one first: nnkurs export";
        }
    }
}
