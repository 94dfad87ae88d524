package io.searchloop.embedder.index;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.InferenceEngine;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.encoder.weights.ModelChecksum;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The encoders of the versions the embedder writes to, loaded once each after their sha256 is
 * checked, on the runtime {@code engine} picks for each.
 */
public final class ModelCache implements AutoCloseable {
    private final EncoderOptions options;
    private final InferenceEngine engine;
    private final Map<String, TextEncoder> byVersion = new ConcurrentHashMap<>();

    public ModelCache(EncoderOptions options, InferenceEngine engine) {
        this.options = options;
        this.engine = engine;
    }

    public synchronized TextEncoder get(String version, String artifactUri, String sha256)
            throws IOException {
        TextEncoder cached = byVersion.get(version);
        if (cached != null) {
            return cached;
        }
        Path dir = Path.of(URI.create(artifactUri));
        ModelChecksum.verify(dir, sha256);
        TextEncoder loaded = engine.open(dir, options);
        byVersion.put(version, loaded);
        return loaded;
    }

    /** Closes the encoders of versions not in {@code live}. */
    public synchronized void retain(Set<String> live) {
        byVersion
                .entrySet()
                .removeIf(
                        e -> {
                            if (!live.contains(e.getKey())) {
                                e.getValue().close();
                                return true;
                            }
                            return false;
                        });
    }

    @Override
    public synchronized void close() {
        byVersion.values().forEach(TextEncoder::close);
        byVersion.clear();
    }
}
