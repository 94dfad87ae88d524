package io.searchloop.pairs.scoring;

import io.searchloop.events.InteractionType;

/** The strongest engagement a shopper had with one product of one search, and where it was shown. */
public record Engagement(String productId, InteractionType type, int position) {

    /** The stronger of two engagements with the same product (purchase > cart > click). */
    public Engagement strongest(Engagement other) {
        return other.type().ordinal() > type.ordinal() ? other : this;
    }
}
