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
     * Less to write per commit; after a crash the input since the last commit is processed again,
     * so some evidence is counted twice. A closed search that comes again does not count again
     * towards its session's caps: the session guard remembers what it counted.
     */
    AT_LEAST_ONCE;

    /** The value of Streams' {@code processing.guarantee}. */
    public String streamsValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
