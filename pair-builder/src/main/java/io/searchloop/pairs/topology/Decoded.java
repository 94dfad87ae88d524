package io.searchloop.pairs.topology;

/**
 * A record's value after an attempt to decode it: the event, or the original bytes of a record that
 * could not be read.
 */
record Decoded<V>(V value, byte[] raw) {
    boolean failed() {
        return value == null;
    }
}
