package io.searchloop.embedder.index;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.weights.ModelChecksum;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The encoders of the versions the embedder writes to, loaded once each after their sha256 is
 * checked.
 */
public final class ModelCache implements AutoCloseable {
    private final EncoderOptions options;
    private final Map<String, SentenceEncoder> byVersion = new ConcurrentHashMap<>();

    public ModelCache(EncoderOptions options) {
        this.options = options;
    }

    public synchronized SentenceEncoder get(String version, String artifactUri, String sha256)
            throws IOException {
        SentenceEncoder cached = byVersion.get(version);
        if (cached != null) {
            return cached;
        }
        Path dir = Path.of(URI.create(artifactUri));
        ModelChecksum.verify(dir, sha256);
        SentenceEncoder loaded = SentenceEncoder.load(dir, options);
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
        byVersion.values().forEach(SentenceEncoder::close);
        byVersion.clear();
    }
}
