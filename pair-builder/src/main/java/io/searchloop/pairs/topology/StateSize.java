package io.searchloop.pairs.topology;

import org.apache.kafka.common.serialization.Serializer;

/**
 * Refuses a state entry that would be larger than a state store (and its changelog, whose records
 * the broker limits in size) can hold, before it is put: a put that fails later, at commit, would
 * kill the stream thread and fail again on every retry.
 */
final class StateSize<V> {
    private final Serializer<V> serializer;
    private final int maxBytes;

    StateSize(Serializer<V> serializer, int maxBytes) {
        this.serializer = serializer;
        this.maxBytes = maxBytes;
    }

    /** Null when {@code value} fits, else why not. */
    String check(V value) {
        byte[] bytes = serializer.serialize("", value);
        int size = bytes == null ? 0 : bytes.length;
        return size <= maxBytes
                ? null
                : "would be "
                        + size
                        + " bytes, more than the "
                        + maxBytes
                        + " a state entry may hold";
    }
}
