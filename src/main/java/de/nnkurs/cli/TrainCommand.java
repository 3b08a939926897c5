package de.nnkurs.cli;

import de.nnkurs.data.MnistData;
import de.nnkurs.export.ModelFolder;
import de.nnkurs.export.ServingFolder;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.Variant;
import de.nnkurs.slides.DeadUnitCounter;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.RunListener;
import de.nnkurs.training.TrainingRun;
import de.nnkurs.training.TrainingSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

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

    @Mixin private ResumeOption resume;

    @Override
    public Integer call() throws Exception {
        // Every check runs before MNIST is loaded or a step is taken; the library owns the rules.
        TrainingSettings settings = training.settings();
        Architecture architecture = network.architecture();
        TrainingRun run = sideBySide.applyTo(TrainingRun.of(settings).architecture(architecture));
        Path target = output != null ? output : defaultOutput(architecture.variant());
        Main.suggestThreads(
                architecture.trainingThreads(Runtime.getRuntime().availableProcessors()));
        if (!training.dryRun) {
            ModelFolder.checkTarget("output", target);
        }
        if (export) {
            ServingFolder.check(architecture);
        }
        data.check();
        PrintWriter out = spec.commandLine().getOut();
        resume.applyTo(run, target, !training.dryRun, out);
        run.check();

        MnistData mnist = data.load(spec);
        out.printf(
                Locale.ROOT,
                "Training %s (%s, %s) on %d images, %d epoch(s), batch size %d, %s lr %s, seed"
                        + " %d%n",
                architecture.describe(),
                architecture.activation().label(),
                architecture.variant() == Variant.SLIDES ? "final Softmax" : "logits",
                mnist.train().count(),
                settings.epochs(),
                settings.batchSize(),
                settings.optimizer().label(),
                settings.learningRate(),
                settings.seed());
        resume.printStart(run, out);
        RunListener listener = ConsoleProgress.onConsole(out, spec.commandLine().getErr());
        if (reportDeadUnits) {
            listener = listener.andThen(new DeadUnitCounter(mnist.train(), this::printDeadUnits));
        }
        try (TrainedModel trained = run.data(mnist).run(listener)) {
            out.printf(
                    Locale.ROOT,
                    "Test accuracy after %d epoch(s): %.4f%n",
                    trained.result().epochs().size(),
                    trained.testAccuracy());
            sideBySide.writeRecord(trained); // also for a diverged run: it shows where
            if (trained.diverged()) {
                resume.diverged(out);
            }
            ModelFolder.refuseDiverged(trained, target); // the old model and checkpoint stay
            if (training.dryRun) {
                out.println("Dry run: model not saved.");
                return 0;
            }
            ModelFolder.save(trained, target);
            out.printf("Saved %s%n", target);
            resume.saved(out);
        }
        if (export) {
            Path folder = ServingFolder.exportBeside(target);
            out.printf("Exported %s and %s%n", folder, ServingFolder.zipFor(folder));
        }
        return 0;
    }

    private void printDeadUnits(int[] dead, int epoch) {
        if (epoch == 0) {
            return; // the first line comes after epoch 1, under its result
        }
        PrintWriter out = spec.commandLine().getOut();
        if (dead.length == 0) {
            out.println("  dead units: the network has no hidden layer");
        } else {
            out.printf(
                    "  dead units per hidden layer (input ≤ 0 for all training images): %s%n",
                    Arrays.stream(dead)
                            .mapToObj(Integer::toString)
                            .collect(Collectors.joining(" / ")));
        }
        out.flush();
    }

    private static Path defaultOutput(Variant variant) {
        return Path.of("models", variant == Variant.SLIDES ? "mnist" : "mnist-logits");
    }
}
