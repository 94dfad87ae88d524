package io.searchloop.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A small schema registry for development and tests that span several processes: it serves the
 * subset of the Confluent Schema Registry REST API that searchloop's client uses (register, schema
 * by id, look-up under a subject, compatibility with the latest version), with the status codes and
 * error bodies of the public API, backed by an {@link InMemorySchemaRegistry}. Loopback only; no
 * authentication; state lives as long as the process.
 */
public final class LocalRegistryServer implements AutoCloseable {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final HttpServer server;
    private final InMemorySchemaRegistry state;
    private final ObjectMapper json = new ObjectMapper();

    private LocalRegistryServer(HttpServer server, InMemorySchemaRegistry state) {
        this.server = server;
        this.state = state;
    }

    /** Starts a server on {@code port} (0 = any free port) on the loopback interface. */
    public static LocalRegistryServer start(int port, InMemorySchemaRegistry state)
            throws IOException {
        HttpServer http =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        LocalRegistryServer registry = new LocalRegistryServer(http, state);
        http.createContext("/", registry::handle);
        http.start();
        return registry;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The REST handler over {@code state}, for embedding in another HTTP server. */
    public static HttpHandler handlerFor(InMemorySchemaRegistry state) {
        return new LocalRegistryServer(null, state)::handle;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String[] parts = path.substring(1).split("/", -1);
        String method = exchange.getRequestMethod();
        try {
            if (method.equals("GET")
                    && parts.length == 3
                    && parts[0].equals("schemas")
                    && parts[1].equals("ids")) {
                respond(
                        exchange,
                        200,
                        Map.of("schema", state.schemaById(Integer.parseInt(parts[2])).toString()));
            } else if (method.equals("POST")
                    && parts.length == 3
                    && parts[0].equals("subjects")
                    && parts[2].equals("versions")) {
                respond(
                        exchange,
                        200,
                        Map.of("id", state.register(decode(parts[1]), schemaOf(body))));
            } else if (method.equals("POST") && parts.length == 2 && parts[0].equals("subjects")) {
                Schema schema = schemaOf(body);
                int id = state.idOf(decode(parts[1]), schema);
                respond(
                        exchange,
                        200,
                        Map.of("subject", decode(parts[1]), "id", id, "schema", schema.toString()));
            } else if (method.equals("POST")
                    && parts.length == 5
                    && parts[0].equals("compatibility")
                    && parts[1].equals("subjects")) {
                String subject = decode(parts[2]);
                if (!state.hasSubject(subject)) {
                    respond(exchange, 404, error(40401, "Subject '" + subject + "' not found."));
                } else {
                    respond(
                            exchange,
                            200,
                            Map.of("is_compatible", state.isCompatible(subject, schemaOf(body))));
                }
            } else {
                respond(exchange, 404, error(404, "HTTP 404 Not Found"));
            }
        } catch (UnknownSchemaIdException e) {
            respond(
                    exchange,
                    404,
                    error(40403, "Schema " + parts[parts.length - 1] + " not found"));
        } catch (SchemaNotRegisteredException e) {
            respond(
                    exchange,
                    404,
                    error(
                            e.errorCode(),
                            e.errorCode() == 40401 ? "Subject not found." : "Schema not found"));
        } catch (IncompatibleSchemaException e) {
            respond(
                    exchange,
                    409,
                    error(
                            409,
                            "Schema being registered is incompatible with an earlier schema: "
                                    + e.getMessage()));
        } catch (SchemaParseException | NumberFormatException e) {
            respond(exchange, 422, error(42201, "Invalid schema: " + e.getMessage()));
        }
    }

    private static Map<String, Object> error(int code, String message) {
        return Map.of("error_code", code, "message", message);
    }

    private Schema schemaOf(String body) throws IOException {
        JsonNode node = json.readTree(body);
        return new Schema.Parser().parse(node.path("schema").asText());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
