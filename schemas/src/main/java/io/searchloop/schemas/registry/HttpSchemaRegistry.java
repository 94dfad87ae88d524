package io.searchloop.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for any registry that speaks the Confluent Schema Registry REST API (Confluent's own,
 * Apicurio's and Karapace's compatibility endpoints). It does no caching of its own; wrap it in
 * {@link CachingSchemaRegistry}. Server errors (5xx) and I/O failures are retried a bounded number
 * of times with doubling back-off, moving to the next configured URL each time; 4xx answers are
 * mapped to typed exceptions at once.
 */
public final class HttpSchemaRegistry implements SchemaRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistry.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final RegistryConfig config;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public HttpSchemaRegistry(RegistryConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode body =
                call(
                        "POST",
                        "/subjects/" + encode(subject) + "/versions",
                        schemaBody(schema),
                        "register schema under subject " + subject);
        return body.path("id").asInt();
    }

    @Override
    public Schema schemaById(int id) {
        JsonNode body = call("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
        return new Schema.Parser().parse(body.path("schema").asText());
    }

    @Override
    public int idOf(String subject, Schema schema) {
        JsonNode body =
                call(
                        "POST",
                        "/subjects/" + encode(subject),
                        schemaBody(schema),
                        "look up schema under subject " + subject);
        return body.path("id").asInt();
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode body =
                    call(
                            "POST",
                            "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                            schemaBody(schema),
                            "check compatibility for subject " + subject);
            return body.path("is_compatible").asBoolean(false);
        } catch (SchemaNotRegisteredException e) {
            return true; // nothing registered yet: anything is compatible
        }
    }

    private String schemaBody(Schema schema) {
        try {
            return json.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write schema as JSON", e);
        }
    }

    private JsonNode call(String method, String path, String body, String what) {
        Duration backoff = config.retryBackoff();
        Exception last = null;
        int attempts = config.maxRetries() + 1;
        for (int attempt = 0; attempt < attempts; attempt++) {
            String base = config.urls().get(attempt % config.urls().size());
            try {
                HttpResponse<String> response =
                        http.send(
                                request(base, method, path, body),
                                HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return json.readTree(response.body());
                }
                if (status < 500) {
                    throw clientError(what, status, response.body(), path);
                }
                last = new IOException("HTTP " + status + ": " + abbreviate(response.body()));
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(
                        "interrupted while trying to " + what, -1, e);
            }
            if (attempt + 1 < attempts) {
                LOG.warn(
                        "schema registry {} failed to {} ({}); retrying in {} ms",
                        base,
                        what,
                        last.getMessage(),
                        backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
        throw new RegistryUnavailableException(
                "schema registry at "
                        + config.urls()
                        + " could not "
                        + what
                        + " after "
                        + attempts
                        + " attempts: "
                        + last.getMessage(),
                -1,
                last);
    }

    private HttpRequest request(String base, String method, String path, String body) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(stripSlash(base) + path))
                        .timeout(config.requestTimeout())
                        .header("Accept", CONTENT_TYPE + ", application/json");
        if (config.basicAuthUserInfo() != null) {
            String token =
                    Base64.getEncoder()
                            .encodeToString(
                                    config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
            builder.header("Authorization", "Basic " + token);
        } else if (config.bearerToken() != null) {
            builder.header("Authorization", "Bearer " + config.bearerToken());
        }
        if (body == null) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", CONTENT_TYPE)
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private SchemaRegistryException clientError(
            String what, int status, String responseBody, String path) {
        int code = status;
        String message = responseBody;
        try {
            JsonNode error = json.readTree(responseBody);
            code = error.path("error_code").asInt(status);
            message = error.path("message").asText(responseBody);
        } catch (IOException | RuntimeException notJson) {
            // keep the raw body as the message
        }
        String text =
                "schema registry refused to "
                        + what
                        + ": HTTP "
                        + status
                        + " error "
                        + code
                        + ": "
                        + abbreviate(message);
        if (status == 409) {
            return new IncompatibleSchemaException(text, code);
        }
        if (code == 42201 || code == 422) {
            return new InvalidSchemaException(text, code);
        }
        if (code == 40403 && path.startsWith("/schemas/ids/")) {
            return new UnknownSchemaIdException(text, code);
        }
        if (code == 40401 || code == 40403 || status == 404) {
            return new SchemaNotRegisteredException(text, code);
        }
        return new SchemaRegistryException(text, code);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
