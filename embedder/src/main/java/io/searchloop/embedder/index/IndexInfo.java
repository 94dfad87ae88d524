package io.searchloop.embedder.index;

import java.time.Instant;

/** One model version's vector index: its table, dimension, artifact, build status. */
public record IndexInfo(
        String modelName,
        String modelVersion,
        String tableName,
        int dimension,
        String artifactUri,
        String sha256,
        IndexStatus status,
        long itemCount,
        Instant startedAt,
        Instant completedAt) {
    public boolean ready() {
        return status == IndexStatus.READY;
    }
}
