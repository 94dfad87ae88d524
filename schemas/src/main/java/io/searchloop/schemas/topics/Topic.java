package io.searchloop.schemas.topics;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic as a value: its name together with the serdes of its keys and values, so that a producer,
 * consumer or Streams {@code Consumed.with(t.keySerde(), t.valueSerde())} cannot pair a topic with
 * the wrong types.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
