package io.searchloop.pairs;

import java.util.Locale;

/**
 * Kafka Streams' processing guarantees the pair-builder supports ({@code
 * PAIR_PROCESSING_GUARANTEE}).
 */
public enum ProcessingGuarantee {
    /**
     * Transactions: every input is counted once in the pairs, also across crashes (the default).
     */
    EXACTLY_ONCE_V2,
    /** Faster; a crash may count some evidence twice. */
    AT_LEAST_ONCE;

    /** The value of Streams' {@code processing.guarantee}. */
    public String streamsValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
