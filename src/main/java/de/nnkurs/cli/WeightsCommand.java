package de.nnkurs.cli;

import de.nnkurs.data.MnistData;
import de.nnkurs.export.ModelMetadata;
import de.nnkurs.export.ModelFolder;
import de.nnkurs.model.Architecture;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nnkurs weights}: weights to and from PyTorch's {@code state_dict} files. */
@Command(
        name = "weights",
        mixinStandardHelpOptions = true,
        description =
                "Move weights between a model folder and .npz/.safetensors files named like the"
                        + " slides' nn.Sequential state_dict (0.weight … 6.bias).",
        subcommands = {WeightsCommand.Export.class, WeightsCommand.Import.class})
final class WeightsCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: export or import");
    }

    /** {@code nnkurs weights export --model DIR --output FILE}. */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Write a model's weights; in Python: model.load_state_dict(...).")
    static final class Export implements Callable<Integer> {
        @Spec private CommandSpec spec;

        @Mixin private ModelOption.Trained trained;

        @Option(
                names = "--output",
                paramLabel = "FILE",
                required = true,
                description = "a .npz or .safetensors file to write")
        private Path output;

        @Override
        public Integer call() throws Exception {
            ModelFolder.exportWeights(trained.require(spec), output);
            spec.commandLine().getOut().printf("Wrote %s%n", output);
            return 0;
        }
    }

    /** {@code nnkurs weights import FILE --output MODEL}. */
    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description =
                    "Make a model folder from weights trained elsewhere (e.g. torch.save of"
                            + " model.state_dict() converted with numpy.savez) and report its"
                            + " test accuracy.")
    static final class Import implements Callable<Integer> {
        @Spec private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "a .npz or .safetensors file")
        private Path file;

        @Option(
                names = "--output",
                paramLabel = "DIR",
                required = true,
                description = "model folder to write")
        private Path output;

        @Mixin private ArchitectureOptions network;

        @Mixin private DataDirOption data;

        @Override
        public Integer call() throws Exception {
            Architecture architecture = network.architecture();
            ModelFolder.checkImport(file, output);
            data.check();
            MnistData mnist = data.load(spec);
            ModelMetadata meta =
                    ModelFolder.importWeights(
                            file, architecture, mnist.test(), mnist.sha256(), output);
            spec.commandLine()
                    .getOut()
                    .printf(
                            Locale.ROOT,
                            "Imported %s into %s (test accuracy %.4f)%n",
                            file,
                            output,
                            meta.testAccuracy());
            return 0;
        }
    }
}
