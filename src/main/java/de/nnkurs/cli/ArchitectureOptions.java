package de.nnkurs.cli;

import de.nnkurs.export.ModelFolder;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Variant;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --hidden}, {@code --activation} and {@code --logits}: the network to build. */
final class ArchitectureOptions {

    private static final Architecture LESSON = Architecture.lesson(Variant.SLIDES);

    @Option(
            names = "--hidden",
            paramLabel = "WIDTHS",
            description =
                    "widths of the hidden layers, comma-separated; input 784 and output 10 are"
                            + " fixed (default: ${DEFAULT-VALUE})")
    String hidden = LESSON.hiddenSpec();

    @Option(
            names = "--activation",
            paramLabel = "NAME",
            converter = Choices.Activation.class,
            completionCandidates = Choices.ActivationLabels.class,
            description =
                    "activation of the hidden layers: ${COMPLETION-CANDIDATES} (default:"
                            + " ${DEFAULT-VALUE})")
    HiddenActivation activation = LESSON.activation();

    @Option(
            names = "--logits",
            description = "the variant without the final Softmax (default: the slides' model)")
    boolean logits;

    /** Returns the network; a bad {@code --hidden} fails with the library's message. */
    Architecture architecture() {
        return new Architecture(
                Architecture.parseHidden(hidden),
                activation,
                logits ? Variant.LOGITS : Variant.SLIDES);
    }

    /** Returns where train saves this network unless told: models/mnist or models/mnist-logits. */
    static Path defaultOutput(Architecture architecture) {
        return ModelFolder.DEFAULT.resolveSibling(architecture.defaultName());
    }
}
