package de.nnkurs.cli;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;

import de.nnkurs.data.ImageFiles;
import de.nnkurs.export.ServedModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nnkurs predict IMAGE...}: the top 3 digits per picture, as the served model sees it. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Classify digit pictures (PNG, JPEG; any size, resized to 28×28) with an exported"
                    + " model, exactly as DJL Serving would, and print the top 3 digits.",
            "A dark digit on a light background is inverted first (MNIST digits are light on dark)."
        })
final class PredictCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "pictures of single digits")
    private List<Path> images;

    @Mixin private ServedModelOption served;

    @Option(names = "--no-invert", description = "never invert dark-on-light pictures")
    private boolean noInvert;

    @Override
    public Integer call() throws Exception {
        Path model = served.require(spec);
        for (Path file : images) {
            Checks.existingFile(spec, "", file);
        }
        // Decode every picture first: a bad file fails before any work is done.
        List<ImageFiles.Digit> digits = new ArrayList<>();
        for (Path file : images) {
            digits.add(
                    noInvert
                            ? new ImageFiles.Digit(ImageFiles.read(file), false)
                            : ImageFiles.readDigit(file));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ZooModel<Image, Classifications> zoo = ServedModel.load(model);
                Predictor<Image, Classifications> predictor = zoo.newPredictor()) {
            for (int i = 0; i < images.size(); i++) {
                ImageFiles.Digit digit = digits.get(i);
                Image image = ImageFactory.getInstance().fromImage(digit.image());
                Classifications result = predictor.predict(image);
                StringBuilder line = new StringBuilder(images.get(i).toString()).append(':');
                for (Classifications.Classification c : result.topK(3)) {
                    line.append(
                            String.format(
                                    Locale.ROOT,
                                    "  %s (%.1f %%)",
                                    c.getClassName(),
                                    100 * c.getProbability()));
                }
                if (digit.inverted()) {
                    line.append("  [inverted: dark digit on a light or transparent background]");
                }
                out.println(line);
            }
        }
        return 0;
    }
}
