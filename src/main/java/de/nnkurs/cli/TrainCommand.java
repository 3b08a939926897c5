package de.nnkurs.cli;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.data.MnistData;
import de.nnkurs.model.Architecture;
import de.nnkurs.run.TrainingRun;
import de.nnkurs.slides.DeadUnitCounter;
import de.nnkurs.training.RunListener;
import de.nnkurs.training.TrainedModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nnkurs train}: the hands-on — train the classifier, report test accuracy, save it. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train the slides' MNIST classifier (784-64-64-64-10, ReLU, Softmax) with"
                    + " CrossEntropyLoss and Adam, report the test accuracy after each epoch and"
                    + " save the model."
        })
final class TrainCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private TrainingOptions training;

    @Mixin private ArchitectureOptions network;

    @Mixin private DataDirOption data;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "model folder to write (default: models/mnist, or models/mnist-logits)")
    private Path output;

    @Option(
            names = "--export",
            description =
                    "also export the model for DJL Serving, into serving/ beside the model folder"
                            + " (models/serving by default)")
    private boolean export;

    @Option(
            names = "--report-dead-units",
            description =
                    "after each epoch, count hidden units whose input is ≤ 0 for every training"
                            + " image (dead ReLUs)")
    private boolean reportDeadUnits;

    @Mixin private SideBySideOptions sideBySide;

    @Option(
            names = "--resume",
            description =
                    "continue an interrupted run from the checkpoint that train writes after every"
                            + " epoch beside the output folder (DIR.checkpoint); give the"
                            + " interrupted run's options")
    private boolean resume;

    @Override
    public Integer call() throws Exception {
        // Every check runs before MNIST is loaded or a step is taken; the library owns the rules.
        Architecture architecture = network.architecture();
        TrainingRun run =
                sideBySide.applyTo(TrainingRun.of(training.settings()).architecture(architecture));
        if (resume && training.dryRun) {
            // Checked first: a dry run's 1 epoch of 5 batches would differ from the checkpoint's.
            throw new InvalidSettingException(
                    "dry-run",
                    "does not combine with --resume: a dry run saves nothing and cannot continue a"
                            + " checkpoint; leave out one of them");
        }
        if (!training.dryRun) {
            run.saveTo(output != null ? output : ArchitectureOptions.defaultOutput(architecture));
        }
        if (resume) {
            run.resume();
        }
        if (export) {
            run.exportForServing();
        }
        data.check();
        run.check();

        MnistData mnist = data.load(spec);
        PrintWriter out = spec.commandLine().getOut();
        RunListener listener = ConsoleProgress.onConsole(out, spec.commandLine().getErr());
        if (reportDeadUnits) {
            listener = listener.andThen(new DeadUnitCounter(mnist.train(), this::printDeadUnits));
        }
        try (TrainedModel trained = run.data(mnist).run(listener)) {
            if (training.dryRun) {
                out.println("Dry run: model not saved.");
            }
        }
        return 0;
    }

    private void printDeadUnits(int[] dead, int epoch) {
        if (epoch > 0) { // the first line comes after epoch 1, under its result
            PrintWriter out = spec.commandLine().getOut();
            out.println("  " + DeadUnitCounter.describe(dead));
            out.flush();
        }
    }
}
