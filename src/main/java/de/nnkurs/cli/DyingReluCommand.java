package de.nnkurs.cli;

import de.nnkurs.data.Mnist;
import de.nnkurs.slides.DyingReluDemo;
import de.nnkurs.model.HiddenActivation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nnkurs dying-relu}: the slides' dying ReLU, shown on MNIST next to Leaky ReLU and ALReLU.
 */
@Command(
        name = "dying-relu",
        mixinStandardHelpOptions = true,
        description = {
            "Train 784-64-64-10 three times on MNIST — ReLU, Leaky ReLU, ALReLU — with the hidden"
                    + " biases started at "
                    + DyingReluDemo.Settings.BIAS_START
                    + ", and count the"
                    + " dead hidden units (input ≤ 0 for every training image) per layer.",
            "A dead ReLU outputs 0 and has derivative 0, so it stops learning for good; the leaky"
                    + " variants keep a small slope for x < 0 and recover."
        })
final class DyingReluCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private DataDirOption data;

    @Option(
            names = "--bias-start",
            paramLabel = "B",
            defaultValue = "" + DyingReluDemo.Settings.BIAS_START,
            description = "initial bias of every hidden unit (default: ${DEFAULT-VALUE})")
    private float biasStart;

    @Override
    public Integer call() throws Exception {
        if (!Float.isFinite(biasStart)) {
            throw new ParameterException(spec.commandLine(), "--bias-start must be a number");
        }
        PrintWriter out = spec.commandLine().getOut();
        Mnist mnist = data.load(spec);
        DyingReluDemo.Settings defaults = DyingReluDemo.Settings.negativeBiasStart();
        DyingReluDemo.Settings settings =
                new DyingReluDemo.Settings(
                        defaults.hidden(),
                        defaults.optimizer(),
                        defaults.learningRate(),
                        biasStart,
                        defaults.epochs(),
                        defaults.batchSize(),
                        defaults.seed());
        out.printf(
                "Dead hidden units per layer (of 64 / 64), hidden biases starting at %s, Adam lr"
                        + " %s, seed %d:%n",
                biasStart, settings.learningRate(), settings.seed());
        out.flush();
        List<DyingReluDemo.Result> results =
                DyingReluDemo.compare(
                        mnist.train(),
                        settings,
                        HiddenActivation.RELU,
                        HiddenActivation.LEAKY_RELU,
                        HiddenActivation.ALRELU);
        out.print(DyingReluDemo.table(results));
        return 0;
    }
}
