package io.searchloop.search.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A request body that is a JSON object, with its fields read as bounded, printable text. Every
 * client mistake (too large, not JSON, not an object, a field missing or malformed) is a 4xx {@link
 * ApiException}.
 */
final class JsonBody {
    static final int MAX_BODY = Routes.MAX_BODY_BYTES;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode object;

    private JsonBody(JsonNode object) {
        this.object = object;
    }

    /** The request's body, which must be a JSON object. */
    static JsonBody read(Context ctx) {
        return parse(bounded(ctx));
    }

    /** The request's body as a JSON object, or empty when the body is blank. */
    static Optional<JsonBody> readIfPresent(Context ctx) {
        String raw = bounded(ctx);
        return raw.isBlank() ? Optional.empty() : Optional.of(parse(raw));
    }

    static JsonBody parse(String raw) {
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            throw new ApiException(400, "body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "body must be a JSON object");
        }
        return new JsonBody(body);
    }

    /** The field's text; a 400 when it is missing, null or not 1 to {@code max} printables. */
    String requiredText(String field, int max) {
        return optionalText(field, max)
                .orElseThrow(() -> new ApiException(400, field + " is required"));
    }

    /** The field's text, empty when missing or null; a 400 when not 1 to {@code max} printables. */
    Optional<String> optionalText(String field, int max) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()
                || v.asText().isBlank()
                || v.asText().length() > max
                || v.asText().chars().anyMatch(Character::isISOControl)) {
            throw new ApiException(
                    400, field + " must be a string of 1 to " + max + " printable characters");
        }
        return Optional.of(v.asText());
    }

    /** The field as sent, or null when absent; for fields with rules of their own. */
    JsonNode field(String field) {
        return object.get(field);
    }

    /**
     * The body, read from the stream with a cap: Javalin checks its size limit against
     * Content-Length only, so a chunked body would otherwise be read whole. Past the cap the
     * request is refused (413) without reading further.
     */
    private static String bounded(Context ctx) {
        if (ctx.req().getContentLengthLong() > MAX_BODY) {
            throw new ApiException(413, "request body too large (at most " + MAX_BODY + " bytes)");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new ApiException(
                        413, "request body too large (at most " + MAX_BODY + " bytes)");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ApiException(400, "cannot read the request body: " + e.getMessage());
        }
    }
}
