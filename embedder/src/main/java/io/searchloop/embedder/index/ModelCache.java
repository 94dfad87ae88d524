package io.searchloop.embedder.index;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.InferenceEngine;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.encoder.weights.ModelChecksum;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The encoders of the versions the embedder writes to, loaded once each after their sha256 is
 * checked, on the runtime {@code engine} picks for each. Callers hold a {@link Lease} while they
 * encode: a version dropped by {@link #retain} is closed when its last lease ends, never under a
 * running call (the catalog ingestor encodes on its own thread while the index loop retires
 * versions, and closing an ONNX Runtime session during a run frees memory the run still uses).
 */
public final class ModelCache implements AutoCloseable {
    private final EncoderOptions options;
    private final InferenceEngine engine;
    private final Map<String, Entry> byVersion = new HashMap<>();

    /** One loaded version: its encoder, the leases on it, and whether it was dropped. */
    private static final class Entry {
        final TextEncoder encoder;
        int leases;
        boolean dropped;

        Entry(TextEncoder encoder) {
            this.encoder = encoder;
        }
    }

    /** The use of one version's encoder until {@link #close()}. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public TextEncoder encoder() {
            return entry.encoder;
        }

        @Override
        public void close() {
            synchronized (ModelCache.this) {
                if (closed) {
                    return;
                }
                closed = true;
                entry.leases--;
                if (entry.dropped && entry.leases == 0) {
                    entry.encoder.close();
                }
            }
        }
    }

    public ModelCache(EncoderOptions options, InferenceEngine engine) {
        this.options = options;
        this.engine = engine;
    }

    /** A lease on {@code version}'s encoder, loading it first if needed. */
    public synchronized Lease acquire(String version, String artifactUri, String sha256)
            throws IOException {
        Entry entry = byVersion.get(version);
        if (entry == null) {
            Path dir = Path.of(URI.create(artifactUri));
            ModelChecksum.verify(dir, sha256);
            entry = new Entry(engine.open(dir, options));
            byVersion.put(version, entry);
        }
        entry.leases++;
        return new Lease(entry);
    }

    /** Drops the versions not in {@code live}: each closes once no lease on it is left. */
    public synchronized void retain(Set<String> live) {
        byVersion
                .entrySet()
                .removeIf(
                        e -> {
                            if (live.contains(e.getKey())) {
                                return false;
                            }
                            drop(e.getValue());
                            return true;
                        });
    }

    @Override
    public synchronized void close() {
        byVersion.values().forEach(ModelCache::drop);
        byVersion.clear();
    }

    private static void drop(Entry entry) {
        entry.dropped = true;
        if (entry.leases == 0) {
            entry.encoder.close();
        }
    }
}
