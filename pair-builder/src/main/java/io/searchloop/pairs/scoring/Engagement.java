package io.searchloop.pairs.scoring;

import io.searchloop.events.InteractionType;

/**
 * The strongest engagement a shopper had with one product of one search. It carries no position:
 * where the product was shown comes from the search's logged results, never from the client.
 */
public record Engagement(String productId, InteractionType type) {

    /** The stronger of two engagements with the same product (purchase > cart > click). */
    public Engagement strongest(Engagement other) {
        return strength(other.type()) > strength(type) ? other : this;
    }

    // Ranked here rather than by the schema's symbol order: a symbol added to the Avro enum stops
    // the build until it is ranked, instead of silently becoming the strongest.
    private static int strength(InteractionType type) {
        return switch (type) {
            case CLICK -> 1;
            case ADD_TO_CART -> 2;
            case PURCHASE -> 3;
        };
    }
}
