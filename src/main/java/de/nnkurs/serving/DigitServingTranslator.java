package de.nnkurs.serving;

import ai.djl.modality.Classifications;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.BytesSupplier;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.ServingTranslator;
import ai.djl.translate.TranslatorContext;

import java.util.ArrayList;
import java.util.Base64;
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
 * normalizeMean}, {@code normalizeStd}. A request may ask for another number of digits with the
 * query parameter {@code ?topK=1..10} (DJL Serving passes query parameters in as content entries
 * beside the picture's {@code data}). Every answer carries the 28×28 picture the network saw in the
 * header {@value #SEEN_HEADER} (base64 of its 784 gray bytes, row by row, 0 = background) and
 * {@code Access-Control-Expose-Headers} naming it, so that a page on another origin can read it.
 */
public final class DigitServingTranslator implements ServingTranslator {

    /** The setting for inversion. */
    public static final String INVERT = "invert";

    /** The response header holding the picture the network saw: base64 of 784 gray bytes. */
    public static final String SEEN_HEADER = "X-Nnkurs-Seen";

    /** The request's query parameter (a content entry of the Input) for how many digits. */
    public static final String TOP_K = DigitTranslator.TOP_K;

    private static final String FAILURES = "nnkurs.failures";
    private static final String REQUESTS = "nnkurs.requests";
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
        Failure[] failures = new Failure[inputs.size()];
        Request[] requests = new Request[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            DigitPictures.Prepared picture = BLANK;
            try {
                Integer topK = topK(inputs.get(i));
                picture = DigitPictures.prepare(bytes(inputs.get(i)), invert);
                requests[i] = new Request(topK, picture);
            } catch (UnusablePictureException e) {
                failures[i] = new Failure("UnusablePictureException", e.getMessage());
            } catch (IllegalArgumentException e) {
                failures[i] = new Failure("BadRequestException", e.getMessage());
            }
            pictures.add(picture);
        }
        ctx.setAttachment(FAILURES, failures);
        ctx.setAttachment(REQUESTS, requests);
        return settings().batchProcessInput(ctx, pictures);
    }

    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) {
        return batchProcessOutput(ctx, list).get(0);
    }

    @Override
    public List<Output> batchProcessOutput(TranslatorContext ctx, NDList list) {
        Failure[] failures = (Failure[]) ctx.getAttachment(FAILURES);
        Request[] requests = (Request[]) ctx.getAttachment(REQUESTS);
        List<Classifications> answers = settings().batchProcessOutput(ctx, list);
        if (failures == null) {
            failures = new Failure[answers.size()];
        }
        List<Output> outputs = new ArrayList<>(answers.size());
        for (int i = 0; i < answers.size(); i++) {
            Output output = new Output();
            Failure failure = failures[i];
            if (failure != null) {
                output.setCode(400);
                output.setMessage("Bad Request");
                output.add(
                        "{\"code\":400,\"type\":\""
                                + failure.type()
                                + "\",\"message\":"
                                + quoted(failure.message())
                                + "}");
            } else {
                Classifications answer = answers.get(i);
                Request request = requests == null ? null : requests[i];
                if (request != null) {
                    if (request.topK() != null) {
                        answer.setTopK(request.topK());
                    }
                    output.addProperty(
                            SEEN_HEADER,
                            Base64.getEncoder().encodeToString(request.seen().pixels()));
                }
                output.add(answer);
            }
            output.addProperty("Content-Type", "application/json");
            output.addProperty("Access-Control-Expose-Headers", SEEN_HEADER);
            outputs.add(output);
        }
        return outputs;
    }

    /** A request's own {@code topK}, or {@code null} for the export's. */
    private static Integer topK(Input input) {
        String value = input.getAsString(TOP_K);
        if (value == null) {
            return null;
        }
        try {
            int k = Integer.parseInt(value.strip());
            if (k >= 1 && k <= 10) {
                return k;
            }
        } catch (NumberFormatException e) {
            // the same message as for a number out of range
        }
        throw new IllegalArgumentException(
                TOP_K + "=" + oneLine(value) + ": expected a whole number from 1 to 10");
    }

    /** At most 40 characters of one line, for a message. */
    private static String oneLine(String value) {
        String line = value.replaceAll("[\\r\\n\\t]", " ");
        return line.length() <= 40 ? line : line.substring(0, 40) + "…";
    }

    /** Why one request of a batch gets a 400 instead of an answer. */
    private record Failure(String type, String message) {}

    /** What a usable request asked for and what the network saw. */
    private record Request(Integer topK, DigitPictures.Prepared seen) {}

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

    /**
     * The picture's bytes: the request's {@code data} (the body, or the form's field), else its
     * first entry that is not a query parameter of ours.
     */
    private static byte[] bytes(Input input) throws UnusablePictureException {
        BytesSupplier data = input.get("data");
        if (data == null) {
            for (var entry : input.getContent()) {
                if (!TOP_K.equals(entry.getKey())) {
                    data = entry.getValue();
                    break;
                }
            }
        }
        if (data == null) {
            throw new UnusablePictureException("the request holds no picture");
        }
        String type = input.getProperty("Content-Type", "");
        type = type.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json") || type.startsWith("text/")) {
            throw new UnusablePictureException(
                    "send the picture's bytes (Content-Type image/png or image/jpeg), not "
                            + type.split(";")[0]);
        }
        return data.getAsBytes();
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
