package de.nnkurs.cli;

import de.nnkurs.data.InvalidDataException;
import de.nnkurs.export.DigitClassifier;
import de.nnkurs.io.FileChecks;
import de.nnkurs.serving.Invert;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nnkurs predict IMAGE...}: the top 3 digits per picture, as the served model sees it. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Classify digit pictures (PNG, JPEG, GIF, BMP, TIFF; any size) with an exported"
                    + " model, exactly as DJL Serving serves it, and print the top 3 digits.",
            "The picture is turned upright (EXIF), a dark digit on a light background is"
                    + " inverted (MNIST digits are light on dark), and the digit is centred in"
                    + " 28×28 as MNIST was made. A picture that cannot be read is reported and"
                    + " skipped; the exit code is then 1."
        })
final class PredictCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "pictures of single digits")
    private List<Path> images;

    @Mixin private ModelOption.Exported served;

    @Option(names = "--no-invert", description = "never invert dark-on-light pictures")
    private boolean noInvert;

    @Override
    public Integer call() throws Exception {
        Path model = served.require(spec);
        for (Path file : images) {
            // Cheap, so before the model loads; a pipe or a device is refused when it is read,
            // and the other pictures are still classified.
            FileChecks.exists("IMAGE", file);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        try (DigitClassifier classifier = DigitClassifier.open(model)) {
            // One picture at a time: a bad file is reported and skipped, and memory stays flat.
            for (Path file : images) {
                DigitClassifier.Prediction prediction;
                try {
                    prediction =
                            noInvert
                                    ? classifier.predict(file, Invert.NEVER)
                                    : classifier.predict(file);
                } catch (InvalidDataException e) {
                    err.printf("nnkurs predict: %s%n", e.getMessage());
                    failed++;
                    continue;
                }
                out.println(line(file, prediction));
            }
        }
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
    }

    private static String line(Path file, DigitClassifier.Prediction prediction) {
        StringBuilder line = new StringBuilder(file.toString()).append(':');
        for (DigitClassifier.Guess g : prediction.top()) {
            line.append(
                    String.format(Locale.ROOT, "  %d (%.1f %%)", g.digit(), 100 * g.probability()));
        }
        if (prediction.inverted()) {
            line.append("  [inverted: dark digit on a light or transparent background]");
        }
        return line.toString();
    }
}
