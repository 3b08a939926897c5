package de.nnkurs.serving;

import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Feeds prepared pictures to the network and reads its answer: each byte b becomes {@code (b / 255f
 * - mean) / std} (the course's {@code ToTensor} and {@code Normalize}), a batch is one array of
 * shape (N, 784), and the ten outputs become probabilities by softmax.
 */
public final class DigitTranslator implements Translator<DigitPictures.Prepared, Classifications> {

    /** The setting for the normalisation's mean, in {@code serving.properties}. */
    public static final String MEAN = "normalizeMean";

    /** The setting for the normalisation's standard deviation. */
    public static final String STD = "normalizeStd";

    /** The setting for how many digits an answer lists. */
    public static final String TOP_K = "topK";

    private static final int PIXELS = DigitPictures.SIDE * DigitPictures.SIDE;
    private static final List<String> DIGITS =
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final float[] table = new float[256];
    private final int topK;

    /**
     * Creates the translator.
     *
     * @param mean the normalisation's mean, e.g. 0.5
     * @param std its standard deviation, e.g. 0.5
     * @param topK how many digits an answer lists, 1–10
     */
    public DigitTranslator(float mean, float std, int topK) {
        if (!(std > 0) || !Float.isFinite(std) || !Float.isFinite(mean)) {
            throw new IllegalArgumentException(
                    MEAN + "=" + mean + ", " + STD + "=" + std + ": need finite values, std > 0");
        }
        if (topK < 1 || topK > DIGITS.size()) {
            throw new IllegalArgumentException(TOP_K + "=" + topK + ": expected 1 to 10");
        }
        for (int b = 0; b < 256; b++) {
            table[b] = (b / 255f - mean) / std;
        }
        this.topK = topK;
    }

    /**
     * Creates the translator from an export's settings ({@code serving.properties} keys).
     *
     * @param arguments the settings; {@value #MEAN} and {@value #STD} are required
     * @return the translator
     * @throws IllegalArgumentException naming a missing or unusable setting
     */
    public static DigitTranslator of(Map<String, ?> arguments) {
        return new DigitTranslator(
                number(arguments, MEAN), number(arguments, STD), topK(arguments));
    }

    /** Returns the input value of each byte 0–255. */
    public float[] inputValues() {
        return table.clone();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, DigitPictures.Prepared input) {
        return new NDList(ctx.getNDManager().create(values(List.of(input)), new Shape(PIXELS)));
    }

    /** One array for the whole batch: one copy into the engine, however many pictures. */
    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<DigitPictures.Prepared> inputs) {
        return new NDList(
                ctx.getNDManager().create(values(inputs), new Shape(inputs.size(), PIXELS)));
    }

    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        return answer(list.singletonOrThrow().toFloatArray(), 0);
    }

    /** One copy out of the engine for the whole batch. */
    @Override
    public List<Classifications> batchProcessOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = list.singletonOrThrow();
        float[] all = logits.toFloatArray();
        int n = all.length / DIGITS.size();
        List<Classifications> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(answer(all, i * DIGITS.size()));
        }
        return out;
    }

    private float[] values(List<DigitPictures.Prepared> inputs) {
        float[] values = new float[inputs.size() * PIXELS];
        int at = 0;
        for (DigitPictures.Prepared input : inputs) {
            for (byte b : input.pixels()) {
                values[at++] = table[b & 0xFF];
            }
        }
        return values;
    }

    /** Softmax over ten logits, in double, the largest subtracted first. */
    private Classifications answer(float[] logits, int from) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < DIGITS.size(); i++) {
            max = Math.max(max, logits[from + i]);
        }
        double[] e = new double[DIGITS.size()];
        double sum = 0;
        for (int i = 0; i < e.length; i++) {
            e[i] = Math.exp(logits[from + i] - max);
            sum += e[i];
        }
        List<Double> probabilities = new ArrayList<>(e.length);
        for (double x : e) {
            probabilities.add(x / sum);
        }
        Classifications answer = new Classifications(DIGITS, probabilities);
        answer.setTopK(topK);
        return answer;
    }

    private static float number(Map<String, ?> arguments, String key) {
        Object value = arguments.get(key);
        if (value == null) {
            throw new IllegalArgumentException(key + " is missing: export the model again");
        }
        try {
            return Float.parseFloat(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": not a number");
        }
    }

    private static int topK(Map<String, ?> arguments) {
        Object value = arguments.get(TOP_K);
        if (value == null) {
            return 3;
        }
        try {
            return Integer.parseInt(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TOP_K + "=" + value + ": not a whole number");
        }
    }
}
