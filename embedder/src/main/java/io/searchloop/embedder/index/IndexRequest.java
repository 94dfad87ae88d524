package io.searchloop.embedder.index;

/** The version search should use next, as the latest PROMOTED event (or the bootstrap) asked. */
public record IndexRequest(
        String modelName, String modelVersion, String artifactUri, String sha256) {}
