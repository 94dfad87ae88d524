package io.searchloop.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoints of a service without an HTTP API of its own (pair-builder, trainer,
 * embedder): {@code GET /metrics} (Prometheus text), {@code GET /health/live} (200 while the
 * process runs) and {@code GET /health/ready} (200 or 503, JSON naming each check). The JDK's HTTP
 * server on two threads with a bounded queue: a scraper or probe that floods it is refused, the
 * service's own work is not slowed. Anything else is a 404 or 405 with a JSON error.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    static {
        // The JDK server waits for a slow client forever by default: bound reading a request and
        // writing a response
        // (seconds; JVM-wide, read once when the first JDK HTTP server starts, so only where nobody
        // chose otherwise).
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "10");
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "30");
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    private OpsServer(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code host}:{@code port} (port 0 = any free port). */
    public static OpsServer start(
            String host, int port, ServiceMetrics metrics, Readiness readiness) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (java.net.BindException e) {
            throw new java.net.BindException(
                    metrics.service()
                            + " cannot serve /metrics and /health on "
                            + host
                            + ":"
                            + port
                            + ": "
                            + e.getMessage());
        }
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(
                        2,
                        2,
                        0,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(32),
                        r -> {
                            Thread t = new Thread(r, metrics.service() + "-ops-http");
                            t.setDaemon(true);
                            return t;
                        },
                        new ThreadPoolExecutor.AbortPolicy());
        server.setExecutor(executor);
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        route(exchange, metrics, readiness);
                    } catch (Exception e) {
                        LOG.warn(
                                "{}: {} {} failed: {}",
                                metrics.service(),
                                exchange.getRequestMethod(),
                                exchange.getRequestURI().getPath(),
                                e.toString());
                    }
                });
        server.start();
        OpsServer ops = new OpsServer(server, executor);
        LOG.info("{}: /metrics and /health on {}:{}", metrics.service(), host, ops.port());
        return ops;
    }

    private static void route(HttpExchange exchange, ServiceMetrics metrics, Readiness readiness)
            throws IOException {
        String path = exchange.getRequestURI().getPath();
        boolean known =
                path.equals("/metrics")
                        || path.equals("/health/live")
                        || path.equals("/health/ready");
        if (!known) {
            json(
                    exchange,
                    404,
                    Map.of("error", "no route " + exchange.getRequestMethod() + " " + path));
            return;
        }
        if (!exchange.getRequestMethod().equals("GET")
                && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            json(
                    exchange,
                    405,
                    Map.of("error", exchange.getRequestMethod() + " is not allowed on " + path));
            return;
        }
        switch (path) {
            case "/metrics" ->
                    send(
                            exchange,
                            200,
                            PROMETHEUS_TEXT,
                            metrics.scrape().getBytes(StandardCharsets.UTF_8));
            case "/health/live" -> json(exchange, 200, Map.of("status", "up"));
            default -> {
                Readiness.Report report = readiness.evaluate();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", report.ready() ? "ready" : "not ready");
                body.put("checks", report.checks());
                json(exchange, report.ready() ? 200 : 503, body);
            }
        }
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
