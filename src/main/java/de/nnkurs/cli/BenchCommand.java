package de.nnkurs.cli;

import de.nnkurs.bench.Benchmark;
import de.nnkurs.bench.BenchmarkResult;
import de.nnkurs.data.MnistData;
import de.nnkurs.io.AtomicFile;
import de.nnkurs.io.FileChecks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nnkurs bench}: training and inference speed, measured in this process. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Time the slides' training loop (seconds per epoch after a warm-up), single-picture"
                    + " predictions through the exported model and batched inference, in this"
                    + " process. scripts/benchmark adds the whole train command and the slides'"
                    + " Python loop."
        })
final class BenchCommand implements Callable<Integer> {

    private static final Benchmark.Settings STANDARD = Benchmark.Settings.standard();

    @Spec private CommandSpec spec;

    @Mixin private DataDirOption data;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "training epochs, the first a warm-up (default: ${DEFAULT-VALUE})")
    private int epochs = STANDARD.epochs();

    @Option(
            names = "--predictions",
            paramLabel = "N",
            description = "single-picture predictions to time (default: ${DEFAULT-VALUE})")
    private int predictions = STANDARD.predictions();

    @Option(
            names = "--passes",
            paramLabel = "N",
            description =
                    "passes over the test set per inference batch size, the first a warm-up"
                            + " (default: ${DEFAULT-VALUE})")
    private int passes = STANDARD.inferencePasses();

    @Option(
            names = "--max-batches",
            paramLabel = "N",
            description =
                    "stop each training epoch after N batches, for a quick check; 0 trains whole"
                            + " epochs (default: ${DEFAULT-VALUE})")
    private int maxBatches = STANDARD.maxBatches();

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "also write the figures to this JSON file")
    private Path output;

    @Override
    public Integer call() throws Exception {
        Benchmark.Settings settings =
                new Benchmark.Settings(epochs, predictions, passes, maxBatches);
        if (output != null) {
            FileChecks.writableFile("output", output);
        }
        data.check();
        MnistData mnist = data.load(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchmarkResult result =
                Benchmark.run(
                        mnist,
                        settings,
                        line -> {
                            err.println(line);
                            err.flush();
                        });
        out.print(result.table());
        if (output != null) {
            AtomicFile.write(
                    output, o -> o.write(result.toJson().getBytes(StandardCharsets.UTF_8)));
            out.printf("Wrote %s%n", output);
        }
        return 0;
    }
}
