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
    /**
     * Less to write per commit; after a crash the input since the last commit is processed again:
     * evidence counted twice, and its searches counted again towards a session's caps, which can
     * mute a human session and drop its evidence.
     */
    AT_LEAST_ONCE;

    /** The value of Streams' {@code processing.guarantee}. */
    public String streamsValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
