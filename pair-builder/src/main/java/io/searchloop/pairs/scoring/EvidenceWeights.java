package io.searchloop.pairs.scoring;

import io.searchloop.events.InteractionType;

/**
 * How much positive evidence each kind of engagement is worth (defaults: click 1, cart 2, purchase
 * 4).
 */
public record EvidenceWeights(double click, double addToCart, double purchase) {
    public EvidenceWeights {
        if (click <= 0 || addToCart <= 0 || purchase <= 0) {
            throw new IllegalArgumentException("evidence weights must be positive");
        }
    }

    public static EvidenceWeights defaults() {
        return new EvidenceWeights(1, 2, 4);
    }

    public double of(InteractionType type) {
        return switch (type) {
            case CLICK -> click;
            case ADD_TO_CART -> addToCart;
            case PURCHASE -> purchase;
        };
    }
}
