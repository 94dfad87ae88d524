package io.searchloop.encoder.train;

import java.util.Objects;

/**
 * A product pushed away from a query as a hard negative: its id, so that a negative which turns out
 * to be one of the query's known positives can be recognised and masked, and its text.
 */
public record HardNegative(String productId, String text) {
    public HardNegative {
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(text, "text");
    }
}
