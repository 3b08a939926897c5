package de.nnkurs.cli;

import de.nnkurs.data.MnistData;
import de.nnkurs.slides.DyingReluDemo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

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
            description = "initial bias of every hidden unit (default: ${DEFAULT-VALUE})")
    private float biasStart = DyingReluDemo.Settings.BIAS_START;

    @Override
    public Integer call() throws Exception {
        DyingReluDemo.Settings settings =
                DyingReluDemo.Settings.negativeBiasStart().withBiasStart(biasStart);
        data.check();
        MnistData mnist = data.load(spec);
        PrintWriter out = spec.commandLine().getOut();
        out.println(settings.describe());
        out.flush();
        List<DyingReluDemo.Result> results =
                DyingReluDemo.compare(
                        mnist,
                        settings,
                        activation ->
                                ConsoleProgress.onConsole(out, spec.commandLine().getErr())
                                        .prefix(
                                                String.format(
                                                        Locale.ROOT, "%-10s", activation.label())),
                        DyingReluDemo.COMPARED);
        out.println();
        out.printf(
                "Dead hidden units per layer (of %s):%n",
                settings.hidden().stream().map(String::valueOf).collect(Collectors.joining(" / ")));
        out.print(DyingReluDemo.table(results));
        return 0;
    }
}
