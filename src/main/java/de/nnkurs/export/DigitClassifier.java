package de.nnkurs.export;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

import de.nnkurs.ProgressListener;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.ImageFiles;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.EngineThreads;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Variant;
import de.nnkurs.serving.DigitPictures;
import de.nnkurs.serving.DigitServingTranslator;
import de.nnkurs.serving.DigitTranslator;
import de.nnkurs.serving.Invert;
import de.nnkurs.serving.UnusablePictureException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An exported model that classifies digit pictures exactly as DJL Serving serves it: the same
 * folder or zip, the same {@code serving.properties}, the same preprocessing ({@link
 * DigitPictures}: EXIF orientation, inversion, the digit centred as MNIST was made) and the same
 * translator classes the export carries in its {@code libs/} jar.
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

    private final ZooModel<DigitPictures.Prepared, Classifications> model;
    private final Predictor<DigitPictures.Prepared, Classifications> predictor;
    private final Invert invert;

    private DigitClassifier(
            ZooModel<DigitPictures.Prepared, Classifications> model, Invert invert) {
        this.model = model;
        this.predictor = model.newPredictor();
        this.invert = invert;
    }

    /**
     * Loads an exported model and sets libtorch's thread count of the calling thread to the
     * lesson's choice for it ({@link EngineThreads}).
     *
     * @param exported the folder or zip written by {@link ServingFolder}
     * @return the classifier; the caller closes it
     * @throws IOException naming the path if it is not an exported model, or one exported by an
     *     earlier version that served through DJL's image translator
     */
    public static DigitClassifier open(Path exported) throws IOException {
        // An export replacing the folder meanwhile waits: properties and parameters agree.
        try (var reading = ServingLoader.reading(exported)) {
            return openLocked(exported);
        }
    }

    private static DigitClassifier openLocked(Path exported) throws IOException {
        Properties properties = ServingLoader.properties(exported);
        String translator = properties.getProperty("translator", "");
        if (!translator.equals(DigitServingTranslator.class.getName())) {
            throw new InvalidDataException(
                    exported,
                    "exported by an earlier nnkurs, for DJL's image translator (which neither"
                            + " inverts nor centres the digit); export it again with nnkurs"
                            + " export");
        }
        Map<String, String> settings = new HashMap<>();
        properties.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        DigitTranslator digits;
        Invert invert;
        try {
            digits = DigitTranslator.of(settings);
            invert = Invert.parse(settings.getOrDefault(DigitServingTranslator.INVERT, "auto"));
        } catch (IllegalArgumentException e) {
            throw new InvalidDataException(
                    exported, "unusable serving.properties (" + e.getMessage() + ")");
        }
        DigitClassifier classifier =
                new DigitClassifier(
                        ServingLoader.load(
                                exported,
                                DigitPictures.Prepared.class,
                                Classifications.class,
                                digits),
                        invert);
        // This thread predicts on the lesson's thread count for the served network.
        try {
            String hidden = properties.getProperty("hidden", "");
            EngineThreads.use(
                    EngineThreads.chosenFor(
                            new Architecture(
                                    Architecture.parseHidden(hidden),
                                    HiddenActivation.RELU,
                                    Variant.LOGITS)));
        } catch (RuntimeException e) {
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
     * @param probabilities the probability of each digit 0–9
     * @param seen the 28×28 picture the network saw, and whether it was inverted to get it
     */
    public record Prediction(
            List<Guess> top, List<Double> probabilities, DigitPictures.Prepared seen) {
        /** Returns the most probable digit. */
        public Guess best() {
            return top.get(0);
        }

        /** Whether the picture was a dark digit on light ground and was inverted first. */
        public boolean inverted() {
            return seen.inverted();
        }
    }

    /** Returns whether the export inverts dark-on-light pictures ({@code invert=auto}). */
    public Invert invert() {
        return invert;
    }

    /**
     * Reads a picture file and classifies it as the served model does.
     *
     * @param picture a PNG, JPEG, GIF, BMP or TIFF of one digit, any size
     * @return the top digits
     * @throws IOException naming the file if it cannot be read as a picture of a digit
     */
    public Prediction predict(Path picture) throws IOException {
        return predict(picture, invert);
    }

    /**
     * Reads a picture file and classifies it, inverting as told instead of as the export says.
     *
     * @param picture a PNG, JPEG, GIF, BMP or TIFF of one digit, any size
     * @param invert whether a dark digit on light ground is inverted first
     * @return the top digits
     * @throws IOException naming the file if it cannot be read as a picture of a digit
     */
    public Prediction predict(Path picture, Invert invert) throws IOException {
        byte[] data = ImageFiles.readBytes(picture);
        try {
            return predict(DigitPictures.prepare(data, invert));
        } catch (UnusablePictureException e) {
            throw new InvalidDataException(picture, e.getMessage());
        }
    }

    /**
     * Classifies a decoded picture as the served model does (stored upright: no EXIF).
     *
     * @param picture a picture of one digit, any size
     * @return the top digits
     * @throws UnusablePictureException if the picture holds no digit
     */
    public Prediction predict(BufferedImage picture) throws UnusablePictureException {
        return predict(DigitPictures.prepare(picture, 1, invert));
    }

    /**
     * Classifies a picture already prepared.
     *
     * @param seen the network's 28×28 picture
     * @return the top digits
     */
    public Prediction predict(DigitPictures.Prepared seen) {
        Classifications result;
        try {
            result = predictor.predict(seen);
        } catch (TranslateException e) {
            throw new IllegalStateException("the model could not classify the picture", e);
        }
        return new Prediction(guesses(result), List.copyOf(result.getProbabilities()), seen);
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
        for (int start = 0; start < split.count(); start += BATCH) {
            int end = Math.min(start + BATCH, split.count());
            List<DigitPictures.Prepared> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                try {
                    batch.add(DigitPictures.prepare(DigitImages.of(split, i), 1, invert));
                } catch (UnusablePictureException e) {
                    throw new AssertionError("a 28×28 picture is never refused", e);
                }
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
