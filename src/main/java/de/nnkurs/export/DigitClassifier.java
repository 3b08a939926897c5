package de.nnkurs.export;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

import de.nnkurs.ProgressListener;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.ImageFiles;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.EngineThreads;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Variant;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An exported model that classifies digit pictures exactly as DJL Serving would serve it: the same
 * folder or zip, the same {@code serving.properties}, the same preprocessing.
 *
 * <pre>{@code
 * try (DigitClassifier classifier = DigitClassifier.open(Path.of("models/serving/mnist"))) {
 *     System.out.println(classifier.predict(Path.of("seven.png")).best());
 * }
 * }</pre>
 *
 * <p>One classifier serves one thread at a time; give each thread its own.
 */
public final class DigitClassifier implements AutoCloseable {

    /** Pictures per call of the engine when classifying a whole split. */
    private static final int BATCH = 500;

    /** How many digits {@link #predict} ranks. */
    public static final int TOP = 3;

    private final ZooModel<Image, Classifications> model;
    private final Predictor<Image, Classifications> predictor;

    private DigitClassifier(ZooModel<Image, Classifications> model) {
        this.model = model;
        this.predictor = model.newPredictor();
    }

    /**
     * Loads an exported model and sets libtorch's thread count of the calling thread to the
     * lesson's choice for it ({@link EngineThreads}).
     *
     * @param exported the folder or zip written by {@link ServingFolder}
     * @return the classifier; the caller closes it
     * @throws IOException naming the path if it is not an exported model
     */
    public static DigitClassifier open(Path exported) throws IOException {
        DigitClassifier classifier = new DigitClassifier(ServingLoader.load(exported));
        // This thread predicts on the lesson's thread count for the served network.
        try {
            String hidden = ServingLoader.properties(exported).getProperty("hidden", "");
            EngineThreads.use(
                    EngineThreads.chosenFor(
                            new Architecture(
                                    Architecture.parseHidden(hidden),
                                    HiddenActivation.RELU,
                                    Variant.LOGITS)));
        } catch (IOException | RuntimeException e) {
            classifier.close();
            throw e;
        }
        return classifier;
    }

    /** One ranked digit. */
    public record Guess(int digit, double probability) {}

    /**
     * The answer for one picture.
     *
     * @param top the {@value #TOP} most probable digits, best first
     * @param inverted whether the picture was a dark digit on light ground and was inverted first
     */
    public record Prediction(List<Guess> top, boolean inverted) {
        /** Returns the most probable digit. */
        public Guess best() {
            return top.get(0);
        }
    }

    /**
     * Reads a picture file and classifies it; a dark digit on light ground is inverted first.
     *
     * @param picture a PNG, JPEG, GIF, BMP or TIFF of one digit, any size
     * @return the top digits
     * @throws IOException naming the file if it cannot be read as a picture
     */
    public Prediction predict(Path picture) throws IOException {
        ImageFiles.Digit digit = ImageFiles.readDigit(picture);
        return new Prediction(predict(digit.image()).top(), digit.inverted());
    }

    /**
     * Classifies a picture as it is (no inversion).
     *
     * @param picture a light digit on dark ground, any size
     * @return the top digits
     */
    public Prediction predict(BufferedImage picture) {
        Classifications result;
        try {
            result = predictor.predict(ImageFactory.getInstance().fromImage(picture));
        } catch (TranslateException e) {
            throw new IllegalStateException("the model could not classify the picture", e);
        }
        return new Prediction(guesses(result), false);
    }

    /**
     * Classifies every example of a split through the served preprocessing, in batches.
     *
     * @param split e.g. the MNIST test set
     * @param progress hears how many examples are done
     * @return the predicted digit of each example, in order
     */
    public int[] classify(MnistSplit split, ProgressListener progress) {
        int[] predicted = new int[split.count()];
        ImageFactory images = ImageFactory.getInstance();
        for (int start = 0; start < split.count(); start += BATCH) {
            int end = Math.min(start + BATCH, split.count());
            List<Image> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                batch.add(images.fromImage(DigitImages.of(split, i)));
            }
            List<Classifications> results;
            try {
                results = predictor.batchPredict(batch);
            } catch (TranslateException e) {
                throw new IllegalStateException("the model could not classify a batch", e);
            }
            for (int i = 0; i < results.size(); i++) {
                predicted[start + i] = Integer.parseInt(results.get(i).best().getClassName());
            }
            progress.update(end, split.count());
        }
        return predicted;
    }

    private static List<Guess> guesses(Classifications result) {
        List<Guess> top = new ArrayList<>();
        for (Classifications.Classification c : result.topK(TOP)) {
            top.add(new Guess(Integer.parseInt(c.getClassName()), c.getProbability()));
        }
        return List.copyOf(top);
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
