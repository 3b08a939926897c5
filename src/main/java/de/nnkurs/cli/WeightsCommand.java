package de.nnkurs.cli;

import ai.djl.Model;
import ai.djl.engine.Engine;

import de.nnkurs.Lesson;
import de.nnkurs.data.Mnist;
import de.nnkurs.export.ModelMetadata;
import de.nnkurs.export.SavedModel;
import de.nnkurs.model.StateDict;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.training.Accuracy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
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

    /** {@code nnkurs weights export MODEL FILE}. */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Write a model's weights; in Python: model.load_state_dict(...).")
    static final class Export implements Callable<Integer> {
        @Spec private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL", description = "trained model folder")
        private Path model;

        @Parameters(index = "1", paramLabel = "FILE", description = "a .npz or .safetensors file")
        private Path file;

        @Override
        public Integer call() throws Exception {
            checkWeightsName(spec, file);
            if (!Files.isDirectory(model)) {
                throw new ParameterException(spec.commandLine(), model + ": no such folder");
            }
            try (Model m = SavedModel.load(model)) {
                StateDict.save(m.getBlock(), file);
            }
            spec.commandLine().getOut().printf("Wrote %s%n", file);
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

        @Option(names = "--logits", description = "the weights belong to the model without Softmax")
        private boolean logits;

        @Option(
                names = "--hidden",
                paramLabel = "WIDTHS",
                defaultValue = "64,64,64",
                description =
                        "hidden widths of the model the weights belong to (default:"
                            + " ${DEFAULT-VALUE})")
        private String hidden;

        @Option(
                names = "--activation",
                paramLabel = "NAME",
                defaultValue = "relu",
                converter = TrainCommand.ActivationConverter.class,
                description = "its hidden activation (default: ${DEFAULT-VALUE})")
        private HiddenActivation activation;

        @Mixin private DataDirOption data;

        @Override
        public Integer call() throws Exception {
            Checks.existingFile(spec, "", file);
            Checks.extension(spec, file, "weights", ".npz", ".safetensors");
            Checks.replaceableModelFolder(spec, "--output ", output);
            Checks.writable(spec, "--output ", output);
            Variant variant = logits ? Variant.LOGITS : Variant.SLIDES;
            Architecture architecture;
            try {
                architecture =
                        new Architecture(Architecture.parseHidden(hidden), activation, variant);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(
                        spec.commandLine(), "--hidden " + hidden + ": " + e.getMessage());
            }
            String name = output.toAbsolutePath().normalize().getFileName().toString();
            Mnist mnist = data.load(spec);
            try (Model model = Model.newInstance(name)) {
                model.setBlock(Models.sequential(architecture));
                Models.initialize(model.getBlock(), model.getNDManager(), Lesson.SEED);
                StateDict.load(model.getBlock(), file);
                double accuracy =
                        Accuracy.of(
                                Accuracy.predict(
                                        model.getBlock(), model.getNDManager(), mnist.test()),
                                mnist.test());
                Engine engine = Engine.getInstance();
                ModelMetadata meta =
                        new ModelMetadata(
                                name,
                                variant.label(),
                                architecture.describe(),
                                activation.cliName(),
                                0,
                                0,
                                0,
                                0,
                                "imported from " + file.getFileName(),
                                null,
                                accuracy,
                                List.of(),
                                mnist.sha256(),
                                Engine.getDjlVersion(),
                                engine.getEngineName() + " " + engine.getVersion(),
                                OffsetDateTime.now(ZoneOffset.UTC)
                                        .truncatedTo(ChronoUnit.SECONDS)
                                        .toString());
                SavedModel.save(model, output, meta);
                spec.commandLine()
                        .getOut()
                        .printf(
                                Locale.ROOT,
                                "Imported %s into %s (test accuracy %.4f)%n",
                                file,
                                output,
                                accuracy);
            }
            return 0;
        }
    }

    private static void checkWeightsName(CommandSpec spec, Path file) {
        Checks.extension(spec, file, "weights", ".npz", ".safetensors");
    }
}
