package io.searchloop.pairs.topology;

/**
 * A record's value after an attempt to decode it: the event, or the original bytes of a record that
 * could not be read.
 */
// The raw bytes only travel to the dead-letter topic; a Decoded is never compared.
@SuppressWarnings("ArrayRecordComponent")
record Decoded<V>(V value, byte[] raw) {
    boolean failed() {
        return value == null;
    }
}
