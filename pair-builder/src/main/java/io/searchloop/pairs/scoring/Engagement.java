package io.searchloop.pairs.scoring;

import io.searchloop.events.InteractionType;

/**
 * The strongest engagement a shopper had with one product of one search. It carries no position:
 * where the product was shown comes from the search's logged results, never from the client.
 */
public record Engagement(String productId, InteractionType type) {

    /** The stronger of two engagements with the same product (purchase > cart > click). */
    public Engagement strongest(Engagement other) {
        return other.type().ordinal() > type.ordinal() ? other : this;
    }
}
