package de.nnkurs.serving;

import ai.djl.modality.Classifications;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.ServingTranslator;
import ai.djl.translate.TranslatorContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The exported model's translator under DJL Serving: a request's picture bytes (a raw body with an
 * image content type, or the {@code data} field of a multipart form) go through {@link
 * DigitPictures} and {@link DigitTranslator}; the answer is DJL's classification JSON, {@code
 * [{"className":"7","probability":0.99}, …]}. A picture that cannot be used gets HTTP 400 with DJL
 * Serving's error JSON and a one-line reason; under dynamic batching it fails alone, never the
 * other requests of its batch.
 *
 * <p>Settings ({@code serving.properties}): {@code invert=auto|never}, {@code topK}, {@code
 * normalizeMean}, {@code normalizeStd}.
 */
public final class DigitServingTranslator implements ServingTranslator {

    /** The setting for inversion. */
    public static final String INVERT = "invert";

    private static final String FAILURES = "nnkurs.failures";
    private static final DigitPictures.Prepared BLANK =
            new DigitPictures.Prepared(new byte[DigitPictures.SIDE * DigitPictures.SIDE], false);

    private DigitTranslator digits;
    private Invert invert = Invert.AUTO;

    /** Creates the translator; DJL Serving then calls {@link #setArguments}. */
    public DigitServingTranslator() {}

    @Override
    public void setArguments(Map<String, ?> arguments) {
        digits = DigitTranslator.of(arguments);
        Object value = arguments.get(INVERT);
        invert = value == null ? Invert.AUTO : Invert.parse(value.toString());
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Input input) {
        return batchProcessInput(ctx, List.of(input));
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<Input> inputs) {
        List<DigitPictures.Prepared> pictures = new ArrayList<>(inputs.size());
        String[] failures = new String[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            try {
                pictures.add(DigitPictures.prepare(bytes(inputs.get(i)), invert));
            } catch (UnusablePictureException e) {
                failures[i] = e.getMessage();
                pictures.add(BLANK);
            }
        }
        ctx.setAttachment(FAILURES, failures);
        return settings().batchProcessInput(ctx, pictures);
    }

    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) {
        return batchProcessOutput(ctx, list).get(0);
    }

    @Override
    public List<Output> batchProcessOutput(TranslatorContext ctx, NDList list) {
        String[] failures = (String[]) ctx.getAttachment(FAILURES);
        List<Classifications> answers = settings().batchProcessOutput(ctx, list);
        if (failures == null) {
            failures = new String[answers.size()];
        }
        List<Output> outputs = new ArrayList<>(answers.size());
        for (int i = 0; i < answers.size(); i++) {
            Output output = new Output();
            if (failures[i] != null) {
                output.setCode(400);
                output.setMessage("Bad Request");
                output.add(
                        "{\"code\":400,\"type\":\"UnusablePictureException\",\"message\":"
                                + quoted(failures[i])
                                + "}");
            } else {
                output.add(answers.get(i));
            }
            output.addProperty("Content-Type", "application/json");
            outputs.add(output);
        }
        return outputs;
    }

    /** A JSON string literal. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** The picture's bytes: the request's {@code data} (the body, or the form's field). */
    private static byte[] bytes(Input input) throws UnusablePictureException {
        if (input.getData() == null) {
            throw new UnusablePictureException("the request holds no picture");
        }
        String type = input.getProperty("Content-Type", "");
        type = type.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json") || type.startsWith("text/")) {
            throw new UnusablePictureException(
                    "send the picture's bytes (Content-Type image/png or image/jpeg), not "
                            + type.split(";")[0]);
        }
        return input.getData().getAsBytes();
    }

    private DigitTranslator settings() {
        if (digits == null) {
            throw new IllegalStateException("setArguments was not called");
        }
        return digits;
    }

    @Override
    public String toString() {
        return "DigitServingTranslator[invert=" + invert.label() + "]";
    }
}
