package de.nnkurs.cli;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;

import de.nnkurs.data.DigitImages;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.evaluation.ConfusionMatrix;
import de.nnkurs.evaluation.EvaluationPictures;
import de.nnkurs.export.ServedModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private static final int BATCH = 500;

    @Spec private CommandSpec spec;

    @Mixin private ServedModelOption served;

    @Mixin private DataDirOption data;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "evaluation",
            description = "where the pictures go (default: ${DEFAULT-VALUE})")
    private Path out;

    @Option(
            names = "--max-misclassified",
            paramLabel = "N",
            defaultValue = "100",
            description = "digits in the misclassified picture (default: ${DEFAULT-VALUE})")
    private int maxMisclassified;

    @Override
    public Integer call() throws Exception {
        Path model = served.require(spec);
        if (maxMisclassified < 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--max-misclassified must be 0 or more, got " + maxMisclassified);
        }
        PrintWriter console = spec.commandLine().getOut();
        MnistSplit test = data.load(spec).test();
        int[] predicted = predict(model, test);
        ConfusionMatrix matrix = ConfusionMatrix.of(test, predicted);
        console.print(matrix.table());

        Files.createDirectories(out);
        Path matrixPng = out.resolve("confusion-matrix.png");
        Path errorsPng = out.resolve("misclassified.png");
        EvaluationPictures.confusionMatrix(
                matrix, matrixPng, "MNIST test set, " + model.getFileName() + " (as served)");
        EvaluationPictures.misclassified(test, predicted, errorsPng, maxMisclassified);
        console.printf("Wrote %s and %s%n", matrixPng, errorsPng);
        return 0;
    }

    /** Classifies every test image through the served model's own preprocessing. */
    private static int[] predict(Path model, MnistSplit test) throws Exception {
        int[] predicted = new int[test.count()];
        ImageFactory images = ImageFactory.getInstance();
        try (ZooModel<Image, Classifications> zoo = ServedModel.load(model);
                Predictor<Image, Classifications> predictor = zoo.newPredictor()) {
            for (int start = 0; start < test.count(); start += BATCH) {
                List<Image> batch = new ArrayList<>();
                for (int i = start; i < Math.min(start + BATCH, test.count()); i++) {
                    batch.add(images.fromImage(DigitImages.of(test, i)));
                }
                List<Classifications> results = predictor.batchPredict(batch);
                for (int i = 0; i < results.size(); i++) {
                    predicted[start + i] = Integer.parseInt(results.get(i).best().getClassName());
                }
            }
        }
        return predicted;
    }
}
