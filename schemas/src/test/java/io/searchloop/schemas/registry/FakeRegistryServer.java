package io.searchloop.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A local HTTP server answering the subset of the Confluent Schema Registry REST API that the
 * client uses, with the status codes and error bodies of the public API documentation. Its
 * state is an in-memory registry; it can be told to fail the next requests with 500s and it
 * records every request's method, path and Authorization header.
 */
final class FakeRegistryServer implements AutoCloseable {
    record Request(String method, String path, String authorization, String contentType) {}

    private final HttpServer server;
    private final InMemorySchemaRegistry state = InMemorySchemaRegistry.scope("fake-http-" + UUID.randomUUID());
    private final ObjectMapper json = new ObjectMapper();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger failNext = new AtomicInteger();

    FakeRegistryServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), path,
                exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type")));
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            respond(exchange, 500, Map.of("error_code", 50001, "message", "Error in the backend data store"));
            return;
        }
        String[] parts = path.substring(1).split("/");
        try {
            if (exchange.getRequestMethod().equals("GET") && parts.length == 3 && parts[0].equals("schemas") && parts[1].equals("ids")) {
                Schema schema = state.schemaById(Integer.parseInt(parts[2]));
                respond(exchange, 200, Map.of("schema", schema.toString()));
            } else if (parts.length == 3 && parts[0].equals("subjects") && parts[2].equals("versions")) {
                int id = state.register(decode(parts[1]), schemaOf(body));
                respond(exchange, 200, Map.of("id", id));
            } else if (parts.length == 2 && parts[0].equals("subjects")) {
                int id = state.idOf(decode(parts[1]), schemaOf(body));
                respond(exchange, 200, Map.of("subject", decode(parts[1]), "id", id, "version", 1, "schema", body));
            } else if (parts.length == 5 && parts[0].equals("compatibility")) {
                String subject = decode(parts[2]);
                try {
                    state.idOf(subject, Schema.create(Schema.Type.NULL));
                } catch (SchemaNotRegisteredException e) {
                    if (e.errorCode() == 40401) {
                        respond(exchange, 404, Map.of("error_code", 40401, "message", "Subject '" + subject + "' not found."));
                        return;
                    }
                }
                respond(exchange, 200, Map.of("is_compatible", state.isCompatible(subject, schemaOf(body))));
            } else {
                respond(exchange, 404, Map.of("error_code", 404, "message", "HTTP 404 Not Found"));
            }
        } catch (UnknownSchemaIdException e) {
            respond(exchange, 404, Map.of("error_code", 40403, "message", "Schema " + parts[2] + " not found"));
        } catch (SchemaNotRegisteredException e) {
            respond(exchange, 404, Map.of("error_code", e.errorCode(), "message", e.errorCode() == 40401 ? "Subject not found." : "Schema not found"));
        } catch (IncompatibleSchemaException e) {
            respond(exchange, 409, Map.of("error_code", 409, "message", "Schema being registered is incompatible with an earlier schema"));
        } catch (org.apache.avro.SchemaParseException e) {
            respond(exchange, 422, Map.of("error_code", 42201, "message", "Invalid schema"));
        }
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
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
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
