package de.nnkurs.web;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/**
 * The page's three files from the class path on a port of their own: another origin than the server
 * the page posts to, as when the page runs against a real DJL Serving.
 */
final class StaticPage implements AutoCloseable {

    private static final Map<String, String> FILES =
            Map.of(
                    "/index.html", "text/html; charset=utf-8",
                    "/page.js", "text/javascript; charset=utf-8",
                    "/page.css", "text/css; charset=utf-8");

    private final HttpServer server;

    private StaticPage(HttpServer server) {
        this.server = server;
    }

    /** Serves the page on a free port of 127.0.0.1. */
    static StaticPage start() throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String path = exchange.getRequestURI().getPath();
                    String type = FILES.get(path);
                    try (exchange;
                            InputStream in =
                                    type == null
                                            ? null
                                            : StaticPage.class.getResourceAsStream(
                                                    "/de/nnkurs/web/page" + path)) {
                        if (in == null) {
                            exchange.sendResponseHeaders(404, -1);
                            return;
                        }
                        byte[] body = in.readAllBytes();
                        exchange.getResponseHeaders().set("Content-Type", type);
                        exchange.sendResponseHeaders(200, body.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    }
                });
        server.start();
        return new StaticPage(server);
    }

    /** Returns the page's address, posting to {@code server}'s model {@code model}. */
    URI page(URI server, String model) {
        String base = server.toString().replaceAll("/+$", "");
        return URI.create(
                "http://127.0.0.1:"
                        + this.server.getAddress().getPort()
                        + "/index.html?server="
                        + base
                        + "&model="
                        + model);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
