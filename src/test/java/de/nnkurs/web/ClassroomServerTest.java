package de.nnkurs.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import de.nnkurs.ExportedMnist;
import de.nnkurs.MnistSlice;
import de.nnkurs.data.DigitImages;
import de.nnkurs.export.DigitClassifier;
import de.nnkurs.serving.DigitServingTranslator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.ImageIO;

/**
 * {@code nnkurs serve}'s server on the slice's export: DJL Serving's answers byte for byte (the
 * expected bodies are what a real DJL Serving 0.36.0 sent, {@code src/test/resources/djl-serving}),
 * the page, the request size limit, the bounded queue.
 */
class ClassroomServerTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static Path exported;
    private static ClassroomServer server;
    private static byte[] seven;

    @BeforeAll
    static void start() throws IOException {
        exported = ExportedMnist.folder();
        server = ClassroomServer.start(exported, ClassroomServer.LOOPBACK, 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(DigitImages.of(MnistSlice.load().test(), 0), "png", png);
        seven = png.toByteArray();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String djl(String file) throws IOException {
        try (InputStream in =
                ClassroomServerTest.class.getResourceAsStream("/djl-serving/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static HttpResponse<String> send(String method, String path, byte[] body, String type)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path));
        if (type != null) {
            request.header("Content-Type", type);
        }
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pingAndModelsAnswerAsDjlServingDoes() throws Exception {
        HttpResponse<String> ping = send("GET", "/ping", null, null);
        assertEquals(200, ping.statusCode());
        assertEquals(djl("ping.json"), ping.body());
        assertEquals("application/json", ping.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> models = send("GET", "/models", null, null);
        assertEquals(200, models.statusCode());
        String url = exported.toAbsolutePath().normalize().toFile().toURI().toString();
        assertEquals(djl("models.json").replace("MODEL_URL", url), models.body());
        assertEquals("mnist", server.modelName());
    }

    @Test
    void errorsAreDjlServingsJsonAndStatusCodes() throws Exception {
        HttpResponse<String> unknown = send("POST", "/predictions/nope", seven, "image/png");
        assertEquals(404, unknown.statusCode());
        assertEquals(djl("model-not-found.json"), unknown.body());
        HttpResponse<String> nothing = send("GET", "/predictions", null, null);
        assertEquals(404, nothing.statusCode());
        assertEquals(djl("resource-not-found.json"), nothing.body());
        HttpResponse<String> delete = send("DELETE", "/models", null, null);
        assertEquals(405, delete.statusCode());
        assertEquals(djl("method-not-allowed.json"), delete.body());
        HttpResponse<String> options = send("OPTIONS", "/predictions/mnist", null, null);
        assertEquals(200, options.statusCode());
        assertEquals(djl("options.json"), options.body());
        HttpResponse<String> text =
                send(
                        "POST",
                        "/predictions/mnist",
                        "hello\n".getBytes(StandardCharsets.UTF_8),
                        "image/png");
        assertEquals(400, text.statusCode());
        assertEquals(djl("not-an-image.json"), text.body());
    }

    @Test
    void aPictureGetsTheExportsAnswerAndTheSeenPicture() throws Exception {
        HttpResponse<String> answer =
                send("POST", "/predictions/mnist?topK=10", seven, "image/png");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonArray all = JsonParser.parseString(answer.body()).getAsJsonArray();
        assertEquals(10, all.size());
        try (DigitClassifier classifier = DigitClassifier.open(exported)) {
            DigitClassifier.Prediction expected =
                    classifier.predict(DigitImages.of(MnistSlice.load().test(), 0));
            for (var e : all) {
                JsonObject c = e.getAsJsonObject();
                int digit = Integer.parseInt(c.get("className").getAsString());
                assertEquals(
                        expected.probabilities().get(digit),
                        c.get("probability").getAsDouble(),
                        1e-6);
            }
            assertEquals(
                    expected.best().digit(),
                    Integer.parseInt(all.get(0).getAsJsonObject().get("className").getAsString()));
        }
        // A 28×28 picture is taken as it is: the seen picture is the IDX file's bytes.
        byte[] idx = new byte[784];
        System.arraycopy(MnistSlice.load().test().pixels(), 0, idx, 0, 784);
        assertArrayEquals(
                idx,
                Base64.getDecoder()
                        .decode(
                                answer.headers()
                                        .firstValue(DigitServingTranslator.SEEN_HEADER)
                                        .orElseThrow()));
        assertEquals(
                DigitServingTranslator.SEEN_HEADER,
                answer.headers().firstValue("Access-Control-Expose-Headers").orElse(""));
    }

    @Test
    void aBadTopKIsA400NamingIt() throws Exception {
        HttpResponse<String> answer = send("POST", "/predictions/mnist?topK=0", seven, "image/png");
        assertEquals(400, answer.statusCode());
        assertEquals(
                "topK=0: expected a whole number from 1 to 10",
                JsonParser.parseString(answer.body())
                        .getAsJsonObject()
                        .get("message")
                        .getAsString());
    }

    @Test
    void thePageIsServedFromTheClassPath() throws Exception {
        HttpResponse<String> page = send("GET", "/", null, null);
        assertEquals(200, page.statusCode());
        assertTrue(
                page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                page.headers().toString());
        try (InputStream in =
                ClassroomServer.class.getResourceAsStream("/de/nnkurs/web/page/index.html")) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), page.body());
        }
        assertEquals(404, send("GET", "/index.html/../pom.xml", null, null).statusCode());
        assertEquals(405, send("POST", "/", seven, "image/png").statusCode());
    }

    @Test
    void aMissingPageFileIsA404AndTheServerGoesOn() throws Exception {
        try (ClassroomServer bare =
                ClassroomServer.start(
                        exported,
                        ClassroomServer.LOOPBACK,
                        0,
                        ClassroomServer.Limits.standard(),
                        "de/nnkurs/web/no-such-page/")) {
            HttpResponse<String> page =
                    CLIENT.send(
                            HttpRequest.newBuilder(bare.uri().resolve("/page.js")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(404, page.statusCode());
            assertEquals(djl("resource-not-found.json"), page.body());
            HttpResponse<String> ping =
                    CLIENT.send(
                            HttpRequest.newBuilder(bare.uri().resolve("/ping")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ping.statusCode());
        }
    }

    @Test
    void aDeclaredLengthAboveTheLimitIsRefusedBeforeTheBodyIsSent() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.uri().getPort()));
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            // 100 MB declared, not one byte of it sent: the answer can only come unread.
            out.write(
                    ("POST /predictions/mnist HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                                    + "Content-Length: 104857600\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response =
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
            JsonObject error =
                    JsonParser.parseString(response.substring(response.indexOf("\r\n\r\n") + 4))
                            .getAsJsonObject();
            assertEquals(413, error.get("code").getAsInt());
            assertEquals(
                    "the request is larger than 10 MB; send a smaller picture",
                    error.get("message").getAsString());
        }
    }

    @Test
    void aChunkedBodyIsReadOnlyUpToTheLimit() throws Exception {
        long hundredMb = 100L << 20;
        AtomicLong written = new AtomicLong();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.uri().getPort()));
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            Future<?> sending =
                    writer.submit(
                            () -> {
                                byte[] chunk = new byte[64 << 10];
                                byte[] size =
                                        (Integer.toHexString(chunk.length) + "\r\n")
                                                .getBytes(StandardCharsets.US_ASCII);
                                try {
                                    out.write(
                                            ("POST /predictions/mnist HTTP/1.1\r\nHost: x\r\n"
                                                            + "Content-Type: image/png\r\n"
                                                            + "Transfer-Encoding: chunked\r\n\r\n")
                                                    .getBytes(StandardCharsets.US_ASCII));
                                    while (written.get() < hundredMb) {
                                        out.write(size);
                                        out.write(chunk);
                                        out.write('\r');
                                        out.write('\n');
                                        written.addAndGet(chunk.length);
                                    }
                                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                                } catch (IOException e) {
                                    // the server closed the connection: what this test wants
                                }
                                return null;
                            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    response.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // a reset after the answer
            }
            sending.get(60, TimeUnit.SECONDS);
            String text = response.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("HTTP/1.1 413 "), text);
            // The server stopped reading at 10 MB; what got further sat in the sockets' buffers.
            System.out.printf(
                    "chunked 100 MB upload: %d bytes left the client before the server closed%n",
                    written.get());
            assertTrue(
                    written.get() < 50L << 20,
                    "the client could send " + written.get() + " of 100 MB");
        } finally {
            writer.shutdownNow();
        }
        assertEquals(200, send("GET", "/ping", null, null).statusCode());
    }

    @Test
    void aFullQueueAnswers503AndTheRestAreAnswered() throws Exception {
        byte[] big = bigPicture();
        try (ClassroomServer narrow =
                ClassroomServer.start(
                        exported,
                        ClassroomServer.LOOPBACK,
                        0,
                        new ClassroomServer.Limits(ClassroomServer.MAX_REQUEST_BYTES, 1, 1, 16))) {
            ExecutorService clients = Executors.newFixedThreadPool(16);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                answers.add(
                        clients.submit(
                                () ->
                                        CLIENT.send(
                                                HttpRequest.newBuilder(
                                                                narrow.uri()
                                                                        .resolve(
                                                                                "/predictions/mnist"))
                                                        .header("Content-Type", "image/png")
                                                        .POST(
                                                                HttpRequest.BodyPublishers
                                                                        .ofByteArray(big))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())));
            }
            int ok = 0;
            int busy = 0;
            for (Future<HttpResponse<String>> f : answers) {
                HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertEquals(503, r.statusCode(), r.body());
                    assertEquals(
                            "Worker queue capacity exceeded for model: mnist",
                            JsonParser.parseString(r.body())
                                    .getAsJsonObject()
                                    .get("message")
                                    .getAsString());
                    busy++;
                }
            }
            clients.shutdownNow();
            assertTrue(busy > 0, "one worker, one place in the queue, 16 clients: some got 503");
            assertTrue(ok > 0, "and the others their answers");
        }
    }

    /** A 1000×1000 PNG of a digit: slow enough to decode that the queue fills. */
    private static byte[] bigPicture() throws IOException {
        var image = new java.awt.image.BufferedImage(1000, 1000, 1);
        var g = image.createGraphics();
        g.drawImage(DigitImages.of(MnistSlice.load().test(), 0), 0, 0, 1000, 1000, null);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    @Test
    void aBusyPortIsReportedWithItsNumber() {
        int port = server.uri().getPort();
        PortInUseException e =
                assertThrows(
                        PortInUseException.class,
                        () -> ClassroomServer.start(exported, ClassroomServer.LOOPBACK, port));
        assertEquals(port, e.port());
    }

    @Test
    void loopbackIsTheDefaultAndAnyOtherAddressIsReportedAsOpen() throws Exception {
        assertTrue(server.loopbackOnly());
        assertEquals("127.0.0.1", server.uri().getHost());
        try (ClassroomServer open = ClassroomServer.start(exported, "0.0.0.0", 0)) {
            assertFalse(open.loopbackOnly());
        }
    }

    @Test
    void uriIsThePagesAddress() {
        URI uri = server.uri();
        assertEquals("http", uri.getScheme());
        assertEquals("/", uri.getPath());
    }
}
