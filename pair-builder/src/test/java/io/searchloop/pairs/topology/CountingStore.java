package io.searchloop.pairs.topology;

import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A store that passes every call on to another and counts the point reads ({@code get}) and the
 * iterators opened ({@code range}, {@code all}).
 */
final class CountingStore<V> implements KeyValueStore<String, V> {
    private final KeyValueStore<String, V> inner;
    private int reads;
    private int iteratorsOpened;

    CountingStore(KeyValueStore<String, V> inner) {
        this.inner = inner;
    }

    int reads() {
        return reads;
    }

    int iteratorsOpened() {
        return iteratorsOpened;
    }

    @Override
    public V get(String key) {
        reads++;
        return inner.get(key);
    }

    @Override
    public void put(String key, V value) {
        inner.put(key, value);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        return inner.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        inner.putAll(entries);
    }

    @Override
    public V delete(String key) {
        return inner.delete(key);
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        iteratorsOpened++;
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        iteratorsOpened++;
        return inner.all();
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }
}
