package io.searchloop.trainer.store;

import io.searchloop.events.ModelStatus;
import java.time.Instant;
import java.util.Map;

/** A model version as the trainer records it. */
public record VersionRow(
        String modelName,
        String version,
        int versionNumber,
        String parentVersion,
        String baseModel,
        String artifactUri,
        String sha256,
        ModelStatus status,
        String reason,
        Map<String, Double> metrics,
        long pairCount,
        Instant createdAt,
        Instant updatedAt) {}
