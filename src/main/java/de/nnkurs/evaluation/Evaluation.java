package de.nnkurs.evaluation;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.ProgressListener;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.export.DigitClassifier;
import de.nnkurs.io.FileChecks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An exported model measured on a labelled split as DJL Serving would run it: predictions,
 * confusion matrix, accuracy, and the pictures of both.
 *
 * <pre>{@code
 * Evaluation e = Evaluation.of(Path.of("models/serving/mnist"), mnist.test(), ProgressListener.NONE);
 * System.out.print(e.matrix().table());
 * }</pre>
 *
 * @param split the examples with their labels
 * @param predicted the predicted digit of each example
 * @param matrix labels against predictions
 */
public record Evaluation(MnistSplit split, int[] predicted, ConfusionMatrix matrix) {

    /** Where {@code evaluate} writes its pictures unless told. */
    public static final Path DEFAULT_OUTPUT = Path.of("evaluation");

    /** How many misclassified digits {@code evaluate} draws unless told. */
    public static final int DEFAULT_MAX_MISCLASSIFIED = 100;

    /** The confusion matrix picture that {@link #writePictures} draws. */
    public static final String MATRIX_PNG = "confusion-matrix.png";

    /** The grid of misclassified digits that {@link #writePictures} draws. */
    public static final String MISCLASSIFIED_PNG = "misclassified.png";

    /**
     * Classifies every example of {@code split} with an exported model.
     *
     * @param exported the exported folder or zip
     * @param split e.g. the MNIST test set
     * @param progress hears how many examples are done
     * @return the evaluation
     * @throws IOException naming the path if it is not an exported model
     */
    public static Evaluation of(Path exported, MnistSplit split, ProgressListener progress)
            throws IOException {
        try (DigitClassifier classifier = DigitClassifier.open(exported)) {
            int[] predicted = classifier.classify(split, progress);
            return new Evaluation(split, predicted, ConfusionMatrix.of(split, predicted));
        }
    }

    /** Returns the share of examples classified correctly. */
    public double accuracy() {
        return matrix.accuracy();
    }

    /**
     * Fails unless {@code n} is a usable size for the grid of misclassified digits.
     *
     * @param n at most this many digits in the grid
     */
    public static void checkMaxMisclassified(int n) {
        if (n < 0) {
            throw new InvalidSettingException("max-misclassified", "must be 0 or more, got " + n);
        }
    }

    /**
     * Fails unless the pictures can go into {@code dir}: an existing folder, or a new one in a
     * writable place. Cheap, so that a front end checks it before classifying 10,000 pictures.
     *
     * @param dir the folder for the pictures
     * @throws InvalidSettingException (setting {@code output}) naming the folder otherwise
     */
    public static void checkOutput(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidSettingException(
                    "output", dir + ": exists and is not a folder; the pictures go into a folder");
        }
        if (!Files.exists(dir)) {
            FileChecks.writable("output", dir);
        } else if (!Files.isWritable(dir)) {
            throw new InvalidSettingException("output", dir + ": cannot write there");
        }
    }

    /**
     * Draws the confusion matrix and a grid of misclassified digits as PNG files.
     *
     * @param dir the folder to write {@value #MATRIX_PNG} and {@value #MISCLASSIFIED_PNG} into
     * @param title the matrix picture's title
     * @param maxMisclassified at most this many digits in the grid
     * @return the folder
     * @throws IOException if the files cannot be written
     */
    public Path writePictures(Path dir, String title, int maxMisclassified) throws IOException {
        checkMaxMisclassified(maxMisclassified);
        checkOutput(dir);
        Files.createDirectories(dir);
        EvaluationPictures.confusionMatrix(matrix, dir.resolve(MATRIX_PNG), title);
        EvaluationPictures.misclassified(
                split, predicted, dir.resolve(MISCLASSIFIED_PNG), maxMisclassified);
        return dir;
    }
}
