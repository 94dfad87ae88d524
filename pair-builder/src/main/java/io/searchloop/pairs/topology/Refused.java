package io.searchloop.pairs.topology;

/**
 * An input record the topology cannot keep (its state would not fit a store), re-encoded for {@code
 * topic}'s dead-letter topic.
 */
record Refused(String topic, byte[] raw) {}
