package io.searchloop.pairs.topology;

/**
 * An input record the topology cannot keep (its state would not fit a store), re-encoded for {@code
 * topic}'s dead-letter topic.
 */
// The raw bytes only travel to the dead-letter topic; a Refused is never compared.
@SuppressWarnings("ArrayRecordComponent")
record Refused(String topic, byte[] raw) {}
