package io.searchloop.schemas.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link LocalRegistryServer}'s REST handler behind a test front door that can fail the next
 * requests with 500s and records every request's method, path and headers.
 */
final class FakeRegistryServer implements AutoCloseable {
    record Request(String method, String path, String authorization, String contentType) {}

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();

    FakeRegistryServer() throws IOException {
        InMemorySchemaRegistry state =
                InMemorySchemaRegistry.scope("fake-http-" + UUID.randomUUID());
        HttpHandler registry = LocalRegistryServer.handlerFor(state);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> handle(exchange, registry));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange, HttpHandler registry) throws IOException {
        requests.add(
                new Request(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type")));
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            byte[] body =
                    "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}"
                            .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        registry.handle(exchange);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
