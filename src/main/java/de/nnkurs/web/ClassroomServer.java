package de.nnkurs.web;

import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.util.JsonUtils;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.export.ServingFolder;
import de.nnkurs.export.ServingLoader;
import de.nnkurs.serving.DigitServingTranslator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The classroom's server: the draw-a-digit page at {@code /} and DJL Serving's inference API
 * ({@code POST /predictions/{model}}, {@code GET /models}, {@code GET /ping}, with DJL Serving
 * 0.36.0's JSON and status codes), answered in-process by an exported model through the translator
 * the export carries, on the JDK's own HTTP server. Deployment is DJL Serving's job; this is for
 * one machine in a classroom.
 *
 * <pre>{@code
 * try (ClassroomServer server = ClassroomServer.start(Path.of("models/serving/mnist"),
 *         ClassroomServer.LOOPBACK, 8080)) {
 *     System.out.println("open " + server.uri());
 *     server.awaitClose();
 * }
 * }</pre>
 *
 * <p>A request body above {@link Limits#maxRequestBytes} is refused with HTTP 413, unread if it
 * declares its length, else once that many bytes have come. Predictions run on a fixed number of
 * workers fed from a bounded queue; when it is full, a request gets HTTP 503 at once.
 */
public final class ClassroomServer implements AutoCloseable {

    /** The address the server binds to unless told: this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    /** The port unless told, DJL Serving's. */
    public static final int DEFAULT_PORT = 8080;

    /** The largest request body read: 10 MB, a phone photo with room to spare. */
    public static final int MAX_REQUEST_BYTES = 10 << 20;

    /** Requests waiting for a worker before the server answers 503. */
    public static final int QUEUE = 256;

    /** Where the page's files are on the class path. */
    static final String PAGE = "de/nnkurs/web/page/";

    /** The page's files: a fixed list, nothing else is served from disk or the class path. */
    private static final Map<String, String> FILES =
            Map.of(
                    "/", "index.html",
                    "/page.js", "page.js",
                    "/page.css", "page.css");

    private static final Map<String, String> TYPES =
            Map.of(
                    "html", "text/html; charset=utf-8",
                    "js", "text/javascript; charset=utf-8",
                    "css", "text/css; charset=utf-8");

    /** How long a stop waits for running requests. */
    private static final long STOP_WAIT_MS = 2000;

    /** How long a request waits for its prediction before it is answered 503. */
    private static final long ANSWER_WAIT_S = 60;

    /**
     * The server's limits.
     *
     * @param maxRequestBytes the largest request body read
     * @param workers the prediction workers, each with its own predictor
     * @param queue requests that may wait for a worker
     * @param httpThreads threads that read requests and write answers
     */
    public record Limits(int maxRequestBytes, int workers, int queue, int httpThreads) {
        /** Checks the values. */
        public Limits {
            if (maxRequestBytes < 1 || workers < 1 || queue < 1 || httpThreads < 1) {
                throw new IllegalArgumentException("limits must be positive: " + this);
            }
        }

        /**
         * {@value #MAX_REQUEST_BYTES} bytes, one worker per core, {@value #QUEUE} waiting, four
         * HTTP threads per core (at least 8).
         */
        public static Limits standard() {
            int cores = Runtime.getRuntime().availableProcessors();
            return new Limits(MAX_REQUEST_BYTES, cores, QUEUE, Math.max(8, 4 * cores));
        }
    }

    static {
        // The JDK's server reads these once, when it first starts in this JVM.
        // Its answer's headers and body go out in two packets; with Nagle's algorithm on, the
        // second waits for the client's delayed ACK, ~40 ms a request.
        defaultProperty("sun.net.httpserver.nodelay", "true");
        // After an answer it reads ("drains") up to 64 KB of an unread body to keep the
        // connection, blocking on a client that declared more than it sends; 0: close it instead.
        // A body that was read whole keeps its connection.
        defaultProperty("sun.net.httpserver.drainAmount", "0");
        // A request that takes longer than this to arrive and be answered loses its connection,
        // so slow clients cannot hold the HTTP threads.
        defaultProperty("sun.net.httpserver.maxReqTime", Long.toString(ANSWER_WAIT_S));
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final ZooModel<Input, Output> model;
    private final PredictionQueue predictions;
    private final String name;
    private final String modelUrl;
    private final Limits limits;
    private final Map<String, byte[]> page;
    private final AtomicInteger running = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean stopping;

    private ClassroomServer(
            HttpServer http,
            ExecutorService httpThreads,
            ZooModel<Input, Output> model,
            String name,
            String modelUrl,
            Limits limits,
            Map<String, byte[]> page) {
        this.http = http;
        this.httpThreads = httpThreads;
        this.model = model;
        this.name = name;
        this.modelUrl = modelUrl;
        this.limits = limits;
        this.page = page;
        this.predictions = new PredictionQueue(model, limits.workers(), limits.queue());
    }

    /**
     * Loads an exported model and starts serving it with the {@linkplain Limits#standard standard
     * limits}.
     *
     * @param exported the folder (or zip) written by {@code nnkurs export}
     * @param host the address to bind to, e.g. {@value #LOOPBACK}
     * @param port the port, 0 for any free one
     * @return the running server; close it to stop
     * @throws PortInUseException if the port is taken
     * @throws InvalidSettingException naming {@code host} or {@code port} if unusable
     * @throws IOException naming the folder if it is not an exported model
     */
    public static ClassroomServer start(Path exported, String host, int port) throws IOException {
        return start(exported, host, port, Limits.standard());
    }

    /**
     * Loads an exported model and starts serving it.
     *
     * @param exported the folder (or zip) written by {@code nnkurs export}
     * @param host the address to bind to, e.g. {@value #LOOPBACK}
     * @param port the port, 0 for any free one
     * @param limits request size, workers, queue
     * @return the running server; close it to stop
     * @throws PortInUseException if the port is taken
     * @throws InvalidSettingException naming {@code host} or {@code port} if unusable
     * @throws IOException naming the folder if it is not an exported model
     */
    public static ClassroomServer start(Path exported, String host, int port, Limits limits)
            throws IOException {
        return start(exported, host, port, limits, PAGE);
    }

    static ClassroomServer start(
            Path exported, String host, int port, Limits limits, String pageResources)
            throws IOException {
        if (port < 0 || port > 65535) {
            throw new InvalidSettingException("port", "must be in 0..65535, got " + port);
        }
        InetAddress address = address(host);
        String name = servedName(exported);
        checkTranslator(exported);
        // Bind first: a busy port is reported before the model takes its second to load.
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(address, port), 128);
        } catch (BindException e) {
            throw new PortInUseException(port, e);
        }
        ZooModel<Input, Output> model;
        try {
            model = ServingLoader.load(exported, Input.class, Output.class, null);
        } catch (IOException | RuntimeException e) {
            http.stop(0);
            throw e;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService threads =
                Executors.newFixedThreadPool(
                        limits.httpThreads(),
                        r -> {
                            Thread t =
                                    new Thread(r, "nnkurs-http-" + threadNumber.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        String url = exported.toAbsolutePath().normalize().toFile().toURI().toString();
        ClassroomServer server =
                new ClassroomServer(
                        http, threads, model, name, url, limits, pageFiles(pageResources));
        http.createContext("/", server::handle);
        http.setExecutor(threads);
        http.start();
        return server;
    }

    /** Returns the page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        InetSocketAddress bound = http.getAddress();
        String host = bound.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + bound.getPort() + "/");
    }

    /** Returns the name the model is served under, as in {@code /predictions/mnist}. */
    public String modelName() {
        return name;
    }

    /**
     * Returns whether only this machine can reach the server (it is bound to a loopback address).
     */
    public boolean loopbackOnly() {
        return http.getAddress().getAddress().isLoopbackAddress();
    }

    /**
     * Waits until the server is closed, e.g. by a shutdown hook on Ctrl-C.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /**
     * Stops the server: new predictions are refused, running ones get up to two seconds to finish,
     * then the port is closed, the workers stop and the model is released.
     */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        stopping = true;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
        while (running.get() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.stop(0);
        httpThreads.shutdownNow();
        predictions.close();
        model.close();
        closed.countDown();
    }

    // ---- requests ----

    private void handle(HttpExchange exchange) throws IOException {
        running.incrementAndGet();
        try {
            route(exchange);
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } catch (RuntimeException e) {
            sendError(exchange, 500, "InternalServerException", String.valueOf(e.getMessage()));
        } finally {
            exchange.close();
            running.decrementAndGet();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (!path.startsWith("/predictions/")) {
            // No body is expected here: reaching its end keeps the connection for the next one.
            exchange.getRequestBody().read();
        }
        if (path.equals("/ping")) {
            // DJL Serving answers any method here.
            Map<String, Object> status = new LinkedHashMap<>();
            status.put(name, Map.of("status", "Healthy"));
            sendJson(exchange, 200, JsonUtils.GSON_PRETTY.toJson(status));
        } else if (path.equals("/models")) {
            if (!method.equals("GET")) {
                notAllowed(exchange);
                return;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("modelName", name);
            entry.put("modelUrl", modelUrl);
            entry.put("status", "READY");
            sendJson(exchange, 200, JsonUtils.GSON_PRETTY.toJson(Map.of("models", List.of(entry))));
        } else if (path.equals("/predictions") || path.startsWith("/predictions/")) {
            predict(exchange, path);
        } else if (FILES.containsKey(path)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                notAllowed(exchange);
                return;
            }
            byte[] file = page.get(path);
            if (file == null) {
                notFound(exchange);
                return;
            }
            String fileName = FILES.get(path);
            String type = TYPES.get(fileName.substring(fileName.lastIndexOf('.') + 1));
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
            } else {
                send(exchange, 200, file);
            }
        } else {
            notFound(exchange);
        }
    }

    private void predict(HttpExchange exchange, String path) throws IOException {
        String[] segments = path.split("/", -1); // "", "predictions", model[, version]
        if (segments.length < 3 || segments[2].isEmpty()) {
            notFound(exchange);
            return;
        }
        String asked = decode(segments[2]);
        if (!asked.equals(name)) {
            sendError(
                    exchange,
                    404,
                    "ModelNotFoundException",
                    "Model or workflow not found: " + asked);
            return;
        }
        if (exchange.getRequestMethod().equals("OPTIONS")) {
            sendJson(exchange, 200, "{}");
            return;
        }
        byte[] body = readBody(exchange);
        if (body == null) {
            return; // answered 413
        }
        Input input;
        try {
            input = input(exchange, body);
        } catch (IllegalArgumentException e) {
            sendError(exchange, 400, "BadRequestException", e.getMessage());
            return;
        }
        CompletableFuture<Output> answer = stopping ? null : predictions.offer(input);
        if (answer == null) {
            sendError(
                    exchange,
                    503,
                    "WlmCapacityException",
                    stopping
                            ? "the server is stopping"
                            : "Worker queue capacity exceeded for model: " + name);
            return;
        }
        Output output;
        try {
            output = answer.get(ANSWER_WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendError(exchange, 503, "ServiceUnavailableException", "the server is stopping");
            return;
        } catch (TimeoutException e) {
            sendError(
                    exchange,
                    503,
                    "ServiceUnavailableException",
                    "no answer within " + ANSWER_WAIT_S + " s");
            return;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            boolean bad = cause instanceof ai.djl.translate.TranslateException;
            sendError(
                    exchange,
                    bad ? 400 : 500,
                    cause.getClass().getSimpleName(),
                    String.valueOf(rootMessage(cause)));
            return;
        }
        for (Map.Entry<String, String> header : output.getProperties().entrySet()) {
            exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
        if (output.getCode() >= 400) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        byte[] data = output.getData() == null ? new byte[0] : output.getData().getAsBytes();
        send(exchange, output.getCode(), data);
    }

    /** The request as DJL Serving's RequestParser builds it for a raw body. */
    private static Input input(HttpExchange exchange, byte[] body) {
        Input input = new Input();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                input.add(decode(key), decode(value));
            }
        }
        exchange.getRequestHeaders()
                .forEach((key, values) -> values.forEach(v -> input.addProperty(key, v)));
        String type = input.getProperty("Content-Type", "").toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            throw new IllegalArgumentException(
                    "send the picture's bytes as the request body (Content-Type image/png or"
                            + " image/jpeg); forms are for DJL Serving");
        }
        input.add("data", body);
        input.addProperty("requestId", UUID.randomUUID().toString());
        return input;
    }

    /** Decodes a query or path part as DJL Serving's decoder does ({@code +} is a space). */
    private static String decode(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed URL encoding: " + part);
        }
    }

    /**
     * Reads the body, at most {@link Limits#maxRequestBytes}: a larger declared length is refused
     * before a byte is read, a chunked body once the limit is passed.
     *
     * @return the body, or {@code null} after answering 413
     */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        int max = limits.maxRequestBytes();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = Long.MAX_VALUE;
            }
            if (length > max) {
                tooLarge(exchange);
                return null;
            }
        }
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes(max + 1);
        if (body.length > max) {
            tooLarge(exchange);
            return null;
        }
        return body;
    }

    private void tooLarge(HttpExchange exchange) throws IOException {
        int max = limits.maxRequestBytes();
        sendError(
                exchange,
                413,
                "RequestTooLargeException",
                String.format(
                        Locale.ROOT,
                        "the request is larger than %s; send a smaller picture",
                        max % (1 << 20) == 0 ? (max >> 20) + " MB" : max + " bytes"));
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        sendError(
                exchange,
                404,
                "ResourceNotFoundException",
                "Requested resource is not found, please refer to API document.");
    }

    private static void notAllowed(HttpExchange exchange) throws IOException {
        sendError(
                exchange,
                405,
                "MethodNotAllowedException",
                "Requested method is not allowed, please refer to API document.");
    }

    /** DJL Serving's error JSON: {@code code}, {@code type}, {@code message}, pretty-printed. */
    private static void sendError(HttpExchange exchange, int code, String type, String message)
            throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("type", type);
        error.put("message", message);
        // DJL Serving closes the connection after an error.
        exchange.getResponseHeaders().set("Connection", "close");
        sendJson(exchange, code, JsonUtils.GSON_PRETTY.toJson(error));
    }

    /** JSON as DJL Serving sends it: the text and a line break. */
    private static void sendJson(HttpExchange exchange, int code, String json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, code, (json + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("x-request-id", UUID.randomUUID().toString());
        headers.putIfAbsent("Pragma", List.of("no-cache"));
        headers.putIfAbsent(
                "Cache-Control", List.of("no-cache; no-store, must-revalidate, private"));
        headers.putIfAbsent("Expires", List.of("Thu, 01 Jan 1970 00:00:00 UTC"));
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    // ---- start-up ----

    private static InetAddress address(String host) {
        if (host == null || host.isBlank()) {
            throw new InvalidSettingException("host", "must not be empty");
        }
        try {
            return InetAddress.getByName(host.strip());
        } catch (UnknownHostException e) {
            throw new InvalidSettingException("host", host + ": no such host or address");
        }
    }

    /** The folder's name, as DJL Serving names a model in its store ({@code mnist.zip}: mnist). */
    private static String servedName(Path exported) throws InvalidDataException {
        Path name = exported.toAbsolutePath().normalize().getFileName();
        if (name != null && Files.isRegularFile(exported) && name.toString().endsWith(".zip")) {
            String bare = name.toString();
            return ServingFolder.servedName(
                    exported.resolveSibling(bare.substring(0, bare.length() - ".zip".length())));
        }
        return ServingFolder.servedName(exported);
    }

    /** Refuses an export of an earlier version, whose translator is DJL's image translator. */
    private static void checkTranslator(Path exported) throws IOException {
        String translator = ServingLoader.properties(exported).getProperty("translator", "");
        if (!translator.equals(DigitServingTranslator.class.getName())) {
            throw new InvalidDataException(
                    exported,
                    "exported by an earlier nnkurs, for DJL's image translator; export it again"
                            + " with nnkurs export");
        }
    }

    /** The page's files found on the class path; a missing one is answered 404. */
    private static Map<String, byte[]> pageFiles(String resources) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        ClassLoader loader = ClassroomServer.class.getClassLoader();
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            try (InputStream in = loader.getResourceAsStream(resources + file.getValue())) {
                if (in != null) {
                    files.put(file.getKey(), in.readAllBytes());
                }
            }
        }
        return Map.copyOf(files);
    }
}
