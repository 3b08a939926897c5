package de.nnkurs.serving;

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
import java.util.List;

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
