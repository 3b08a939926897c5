package de.nnkurs.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import de.nnkurs.RealMnist;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.MnistData;
import de.nnkurs.export.DigitClassifier;
import de.nnkurs.export.ModelFolder;
import de.nnkurs.export.ServingFolder;
import de.nnkurs.run.TrainingRun;
import de.nnkurs.training.RunListener;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.TrainingSettings;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

/**
 * {@code nnkurs serve}'s server on the lesson's model (full MNIST, two epochs, seed 1), exported:
 * MNIST test digits as PNG, light on dark and dark on light, one by one and 16 at a time (batched),
 * get exactly {@code predict}'s answer. The answers that do not depend on the model (ping, models,
 * errors, the size limit) are checked in {@code ClassroomServerTest}.
 */
class ClassroomServerIT {

    private static final int DIGITS = 40;

    @TempDir static Path tmp;

    private static MnistData mnist;
    private static Path exported;
    private static ClassroomServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void trainExportAndServe() throws Exception {
        mnist = RealMnist.load();
        Path trained = tmp.resolve("models").resolve("mnist");
        try (TrainedModel model =
                TrainingRun.of(TrainingSettings.lesson()).data(mnist).run(RunListener.NONE)) {
            ModelFolder.save(model, trained);
        }
        exported = ServingFolder.export(trained, tmp.resolve("models").resolve("serving"));
        server = ClassroomServer.start(exported, ClassroomServer.LOOPBACK, 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Test digit {@code index} as PNG, MNIST's light on dark or inverted to dark on light. */
    private static byte[] png(int index, boolean darkOnLight) throws IOException {
        BufferedImage image = DigitImages.of(mnist.test(), index);
        if (darkOnLight) {
            var raster = image.getRaster();
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    raster.setSample(x, y, 0, 255 - raster.getSample(x, y, 0));
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static HttpResponse<String> post(byte[] body, String type) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(server.uri().resolve("/predictions/mnist?topK=10"))
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The served answer: all ten probabilities, best first, equal to predict's within {@code
     * tolerance}.
     */
    private static int assertSameAsPredict(
            DigitClassifier classifier,
            int index,
            boolean darkOnLight,
            HttpResponse<String> r,
            double tolerance)
            throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        JsonArray all = JsonParser.parseString(r.body()).getAsJsonArray();
        assertEquals(10, all.size());
        BufferedImage image =
                ImageIO.read(new java.io.ByteArrayInputStream(png(index, darkOnLight)));
        DigitClassifier.Prediction expected = classifier.predict(image);
        for (var e : all) {
            JsonObject c = e.getAsJsonObject();
            int digit = Integer.parseInt(c.get("className").getAsString());
            assertEquals(
                    expected.probabilities().get(digit),
                    c.get("probability").getAsDouble(),
                    tolerance,
                    "test digit " + index + (darkOnLight ? " dark on light" : ""));
        }
        int served = Integer.parseInt(all.get(0).getAsJsonObject().get("className").getAsString());
        assertEquals(expected.best().digit(), served, "test digit " + index);
        return served == mnist.test().labels()[index] ? 1 : 0;
    }

    @Test
    void mnistTestDigitsGetPredictsAnswerOneByOne() throws Exception {
        int right = 0;
        try (DigitClassifier classifier = DigitClassifier.open(exported)) {
            for (int i = 0; i < DIGITS; i++) {
                boolean darkOnLight = i % 2 == 1;
                right +=
                        assertSameAsPredict(
                                classifier,
                                i,
                                darkOnLight,
                                post(png(i, darkOnLight), "image/png"),
                                1e-6);
            }
        }
        System.out.printf("served, one by one: %d of %d test digits right%n", right, DIGITS);
        assertTrue(right >= 0.8 * DIGITS, right + " of " + DIGITS);
    }

    @Test
    void manyAtOnceAreBatchedAndEachGetsItsOwnAnswer() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (DigitClassifier classifier = DigitClassifier.open(exported)) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] body = png(i, i % 3 == 0);
                answers.add(clients.submit(() -> post(body, "image/png")));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertSameAsPredict(
                        classifier,
                        i,
                        i % 3 == 0,
                        answers.get(i).get(60, TimeUnit.SECONDS),
                        // In a batch libtorch sums in another order: float noise, as in PhotosIT.
                        1e-5);
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
