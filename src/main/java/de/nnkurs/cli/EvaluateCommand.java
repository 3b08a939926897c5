package de.nnkurs.cli;

import de.nnkurs.data.MnistSplit;
import de.nnkurs.evaluation.Evaluation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code nnkurs evaluate}: the exported model on the 10,000 test images, in numbers and pictures.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description =
                "Run an exported model over the MNIST test set as DJL Serving would; print the"
                        + " accuracy, per-digit precision and recall and the confusion matrix, and"
                        + " draw the matrix and the misclassified digits as PNG.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private ModelOption.Exported served;

    @Mixin private DataDirOption data;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "where the pictures go (default: ${DEFAULT-VALUE})")
    private Path output = Evaluation.DEFAULT_OUTPUT;

    @Option(
            names = "--max-misclassified",
            paramLabel = "N",
            description = "digits in the misclassified picture (default: ${DEFAULT-VALUE})")
    private int maxMisclassified = Evaluation.DEFAULT_MAX_MISCLASSIFIED;

    @Override
    public Integer call() throws Exception {
        Path model = served.require(spec);
        Evaluation.checkMaxMisclassified(maxMisclassified);
        Evaluation.checkOutput(output); // before 10,000 pictures are classified, not after
        data.check();
        PrintWriter console = spec.commandLine().getOut();
        MnistSplit test = data.load(spec).test();
        ConsoleProgress bar = ConsoleProgress.onConsole(console, spec.commandLine().getErr());
        Evaluation evaluation = Evaluation.of(model, test, bar.task("classifying"));
        console.print(evaluation.matrix().table());
        evaluation.writePictures(
                output,
                "MNIST test set, " + model.getFileName() + " (as served)",
                maxMisclassified);
        console.printf(
                "Wrote %s and %s%n",
                output.resolve(Evaluation.MATRIX_PNG),
                output.resolve(Evaluation.MISCLASSIFIED_PNG));
        return 0;
    }
}
