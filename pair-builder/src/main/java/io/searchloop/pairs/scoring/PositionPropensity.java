package io.searchloop.pairs.scoring;

/**
 * The position-bias model: the probability that a shopper examines the result at 1-based position
 * {@code p} is {@code (1/p)^η} (η = {@code exponent}, 1 by default; 0 switches the correction off).
 * An engagement is weighted by the inverse of that probability, so a click at position 5 counts
 * five times a click at position 1: it happened despite the result being seen far less often. The
 * weight is capped so one deep click cannot dominate a pair.
 */
public record PositionPropensity(double exponent, double maxWeight) {
    public PositionPropensity {
        if (exponent < 0 || maxWeight < 1) {
            throw new IllegalArgumentException(
                    "propensity exponent must be >= 0 and max weight >= 1");
        }
    }

    public static PositionPropensity defaults() {
        return new PositionPropensity(1.0, 10.0);
    }

    public double examination(int position) {
        return Math.pow(1.0 / Math.max(1, position), exponent);
    }

    public double inverseWeight(int position) {
        return Math.min(maxWeight, 1.0 / examination(position));
    }
}
