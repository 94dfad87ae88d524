package io.searchloop.encoder.model;

import ai.djl.ndarray.NDArray;

/** Looks up a parameter by its Hugging Face name; blocks read their weights through it. */
@FunctionalInterface
public interface Weights {
    NDArray get(String name);
}
