package io.searchloop.embedder.index;

/**
 * Where a model version's index is: being built, or complete (the values of {@code
 * embedding_indexes.status}).
 */
public enum IndexStatus {
    BUILDING,
    READY
}
