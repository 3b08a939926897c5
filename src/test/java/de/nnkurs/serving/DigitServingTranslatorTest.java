package de.nnkurs.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.repository.zoo.ZooModel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import de.nnkurs.ExportedMnist;
import de.nnkurs.MnistSlice;
import de.nnkurs.data.DigitImages;
import de.nnkurs.export.ServingLoader;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

/**
 * The export's translator as DJL Serving runs it (Input → Output, the export's own settings): DJL's
 * classification JSON, and a picture that cannot be used fails alone with HTTP 400 and a one-line
 * reason, also inside a batch.
 */
class DigitServingTranslatorTest {

    private static byte[] seven;
    private static byte[] two;

    @BeforeAll
    static void pictures() throws IOException {
        seven = png(0);
        two = png(1);
    }

    private static byte[] png(int index) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(DigitImages.of(MnistSlice.load().test(), index), "png", out);
        return out.toByteArray();
    }

    private static Input input(byte[] body, String contentType) {
        Input input = new Input();
        input.add("data", body);
        input.addProperty("Content-Type", contentType);
        return input;
    }

    @Test
    void answersWithTheTopThreeAsDjlClassificationJson() throws Exception {
        try (ZooModel<Input, Output> model = load();
                Predictor<Input, Output> predictor = model.newPredictor()) {
            Output output = predictor.predict(input(seven, "image/png"));
            assertEquals(200, output.getCode());
            assertEquals("application/json", output.getProperty("Content-Type", null));
            JsonArray top = JsonParser.parseString(output.getData().getAsString()).getAsJsonArray();
            assertEquals(3, top.size());
            double previous = 1;
            for (var e : top) {
                JsonObject c = e.getAsJsonObject();
                assertTrue(c.get("className").getAsString().matches("[0-9]"));
                double p = c.get("probability").getAsDouble();
                assertTrue(p <= previous && p >= 0, "ranked: " + top);
                previous = p;
            }
        }
    }

    @Test
    void aBadPictureInABatchFailsAloneWith400AndTheOthersGetTheirOwnAnswers() throws Exception {
        try (ZooModel<Input, Output> model = load();
                Predictor<Input, Output> predictor = model.newPredictor()) {
            String sevenAlone =
                    predictor.predict(input(seven, "image/png")).getData().getAsString();
            String twoAlone = predictor.predict(input(two, "image/png")).getData().getAsString();
            List<Output> batch =
                    predictor.batchPredict(
                            List.of(
                                    input(seven, "image/png"),
                                    input(
                                            "not a picture".getBytes(StandardCharsets.UTF_8),
                                            "image/png"),
                                    input(two, "image/png")));
            assertEquals(200, batch.get(0).getCode());
            assertSameAnswer(sevenAlone, batch.get(0).getData().getAsString());
            assertEquals(400, batch.get(1).getCode());
            JsonObject error =
                    JsonParser.parseString(batch.get(1).getData().getAsString()).getAsJsonObject();
            assertEquals(400, error.get("code").getAsInt());
            assertEquals(
                    "not an image (expected PNG or JPEG; GIF, BMP and TIFF work too)",
                    error.get("message").getAsString());
            assertEquals(200, batch.get(2).getCode());
            assertSameAnswer(twoAlone, batch.get(2).getData().getAsString());
        }
    }

    @Test
    void jsonAndEmptyBodiesAreRefusedWithAReason() throws Exception {
        try (ZooModel<Input, Output> model = load();
                Predictor<Input, Output> predictor = model.newPredictor()) {
            Output json =
                    predictor.predict(
                            input("{\"image_url\":\"x\"}".getBytes(), "application/json"));
            assertEquals(400, json.getCode());
            assertTrue(
                    json.getData().getAsString().contains("send the picture's bytes"),
                    json.getData().getAsString());
            Output empty = predictor.predict(input(new byte[0], "image/png"));
            assertEquals(400, empty.getCode());
            assertTrue(empty.getData().getAsString().contains("empty: no picture"));
        }
    }

    @Test
    void theSeenHeaderHoldsThePreparedBytesOfThePicture() throws Exception {
        // A 28×28 MNIST picture is taken as it is: the network sees the IDX file's own bytes.
        byte[] idx = new byte[784];
        System.arraycopy(MnistSlice.load().test().pixels(), 0, idx, 0, 784);
        // A larger dark-on-light picture: what DigitPictures.prepare makes of it.
        byte[] photo = Files.readAllBytes(photo());
        byte[] prepared = DigitPictures.prepare(photo, Invert.AUTO).pixels();
        try (ZooModel<Input, Output> model = load();
                Predictor<Input, Output> predictor = model.newPredictor()) {
            List<Output> batch =
                    predictor.batchPredict(
                            List.of(input(seven, "image/png"), input(photo, "image/jpeg")));
            for (Output output : batch) {
                assertEquals(200, output.getCode());
                assertEquals(
                        DigitServingTranslator.SEEN_HEADER,
                        output.getProperty("Access-Control-Expose-Headers", null));
            }
            assertArrayEquals(idx, seen(batch.get(0)));
            assertArrayEquals(prepared, seen(batch.get(1)));
        }
    }

    @Test
    void topKTenListsAllTenDigitsAndTheyAddUpToOne() throws Exception {
        try (ZooModel<Input, Output> model = load();
                Predictor<Input, Output> predictor = model.newPredictor()) {
            Input input = new Input();
            input.add("topK", "10"); // as DJL Serving's RequestParser adds ?topK=10
            input.add("data", seven);
            input.addProperty("Content-Type", "image/png");
            Output output = predictor.predict(input);
            assertEquals(200, output.getCode());
            JsonArray all = JsonParser.parseString(output.getData().getAsString()).getAsJsonArray();
            assertEquals(10, all.size());
            Set<String> digits = new HashSet<>();
            double sum = 0;
            for (var e : all) {
                digits.add(e.getAsJsonObject().get("className").getAsString());
                sum += e.getAsJsonObject().get("probability").getAsDouble();
            }
            assertEquals(Set.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), digits);
            assertEquals(1.0, sum, 1e-9);
            // Without the parameter the export's topK=3 holds.
            assertEquals(
                    3,
                    JsonParser.parseString(
                                    predictor
                                            .predict(input(seven, "image/png"))
                                            .getData()
                                            .getAsString())
                            .getAsJsonArray()
                            .size());
        }
    }

    @Test
    void aTopKOutsideOneToTenIsA400NamingIt() throws Exception {
        try (ZooModel<Input, Output> model = load();
                Predictor<Input, Output> predictor = model.newPredictor()) {
            for (String bad : List.of("0", "11", "abc", "")) {
                Input input = input(seven, "image/png");
                input.add("topK", bad);
                Output output = predictor.predict(input);
                assertEquals(400, output.getCode(), bad);
                JsonObject error =
                        JsonParser.parseString(output.getData().getAsString()).getAsJsonObject();
                assertEquals(400, error.get("code").getAsInt());
                assertEquals("BadRequestException", error.get("type").getAsString());
                assertEquals(
                        "topK=" + bad + ": expected a whole number from 1 to 10",
                        error.get("message").getAsString());
            }
        }
    }

    private static byte[] seen(Output output) {
        return Base64.getDecoder()
                .decode(output.getProperty(DigitServingTranslator.SEEN_HEADER, null));
    }

    private static Path photo() throws Exception {
        return Path.of(DigitServingTranslatorTest.class.getResource("/photos/photos.json").toURI())
                .resolveSibling("photos")
                .resolve("001-2.jpg");
    }

    /** The same digits in the same order, probabilities equal to float noise (batched BLAS). */
    private static void assertSameAnswer(String expected, String actual) {
        JsonArray a = JsonParser.parseString(expected).getAsJsonArray();
        JsonArray b = JsonParser.parseString(actual).getAsJsonArray();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            JsonObject x = a.get(i).getAsJsonObject();
            JsonObject y = b.get(i).getAsJsonObject();
            assertEquals(x.get("className"), y.get("className"), actual);
            assertEquals(
                    x.get("probability").getAsDouble(), y.get("probability").getAsDouble(), 1e-6);
        }
    }

    private static ZooModel<Input, Output> load() throws IOException {
        return ServingLoader.load(ExportedMnist.folder(), Input.class, Output.class, null);
    }
}
