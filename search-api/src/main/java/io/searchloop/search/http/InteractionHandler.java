package io.searchloop.search.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.search.SearchApi;
import io.searchloop.search.guard.ImpressionTokens;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/interactions}. An engagement is accepted only with the impression token of the
 * search that showed the product: the token fixes the request, the session and the position; one
 * engagement per (token, product, type), remembered by the bounded ledger.
 */
final class InteractionHandler {
    private final SearchApi api;

    InteractionHandler(SearchApi api) {
        this.api = api;
    }

    void record(Context ctx) {
        JsonBody body = JsonBody.read(ctx);
        Optional<String> requestId = body.optionalText("requestId", 128);
        String productId = body.requiredText("productId", 128);
        Optional<String> sessionId = body.optionalText("sessionId", 128);
        JsonNode position = body.field("position"); // accepted for compatibility, never believed
        if (position != null
                && !position.isNull()
                && (!position.isInt() || position.asInt() < 1 || position.asInt() > 1000)) {
            throw new ApiException(400, "position must be an integer from 1 to 1000");
        }
        String typeText = body.requiredText("type", 32);
        InteractionType type;
        try {
            type = InteractionType.valueOf(typeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(
                    400, "unknown type '" + typeText + "' (CLICK, ADD_TO_CART or PURCHASE)");
        }
        Instant now = Instant.now();
        ImpressionTokens.Impression impression;
        try {
            impression =
                    api.tokens()
                            .verify(body.optionalText("impressionToken", 4096).orElse(null), now);
        } catch (ApiException e) {
            api.metrics().rejected(e.status() == 410 ? "expired_token" : "bad_token");
            throw e;
        }
        if (differs(requestId, impression.requestId())
                || differs(sessionId, impression.sessionId())) {
            api.metrics().rejected("token_mismatch");
            throw new ApiException(
                    400,
                    "requestId and sessionId must be those the impression token was issued for");
        }
        int shownAt = impression.positionOf(productId);
        if (shownAt == 0) {
            api.metrics().rejected("not_shown");
            throw new ApiException(422, "product " + productId + " was not shown in that search");
        }
        switch (api.ledger()
                .record(
                        impression.token(),
                        productId,
                        type.name(),
                        impression.issuedAt().plus(api.tokens().ttl()),
                        now)) {
            case DUPLICATE -> {
                api.metrics().rejected("duplicate");
                throw new ApiException(409, "this engagement was already recorded");
            }
            case FULL -> {
                api.metrics().rejected("ledger_full");
                ctx.header("Retry-After", "1");
                throw new ApiException(
                        429, "too many engagements to remember right now; retry shortly");
            }
            case NEW -> {}
        }
        api.publisher()
                .publish(
                        api.topics().interactions().name(),
                        impression.requestId(),
                        Interaction.newBuilder()
                                .setType(type)
                                .setRequestId(impression.requestId())
                                .setSessionId(impression.sessionId())
                                .setProductId(productId)
                                .setPosition(shownAt)
                                .setTimestamp(now)
                                .build());
        ctx.status(202).json(Map.of("status", "accepted", "position", shownAt));
    }

    /** A value the client sent that is not the token's; one it left out never differs. */
    private static boolean differs(Optional<String> sent, String issued) {
        return sent.isPresent() && !sent.get().equals(issued);
    }
}
