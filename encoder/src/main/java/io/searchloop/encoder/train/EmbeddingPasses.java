package io.searchloop.encoder.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.searchloop.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * How a training step gets its embeddings with gradients. {@link #direct} runs each forward pass
 * over the whole batch with autograd recording, so memory grows with the batch. {@link #cached} is
 * gradient caching (Gao et al., "GradCache", 2021): each pass runs in micro-batches without
 * recording, the loss is computed over the whole batch from those embeddings made leaves, and after
 * the loss's backward each micro-batch is run again with recording and back-propagated with its
 * slice of the embeddings' gradient. The loss — in-batch negatives included — is the full batch's,
 * and the parameters' gradient is the same as the direct one (exactly so without dropout; with
 * dropout each micro-batch re-runs under the seed its cached pass used, so both passes draw the
 * same masks). Only one micro-batch's activations are alive at a time.
 */
interface EmbeddingPasses {
    /**
     * Pooled embeddings [N, D] of tokenized texts, with a gradient path to the parameters or to a
     * cached leaf.
     */
    NDArray embed(List<long[]> tokenIds);

    /** After the loss's backward: carries the embeddings' gradients into the parameters. */
    void backward(GradientCollector collector);

    static EmbeddingPasses direct(SentenceEncoder encoder, NDManager manager, float dropout) {
        return new EmbeddingPasses() {
            @Override
            public NDArray embed(List<long[]> tokenIds) {
                return encoder.pooledEmbeddings(tokenIds, manager, dropout);
            }

            @Override
            public void backward(GradientCollector collector) {}
        };
    }

    /**
     * Micro-batches of at most {@code microBatch} texts per pass; {@code seed} decides this step's
     * dropout masks.
     */
    static EmbeddingPasses cached(
            SentenceEncoder encoder, NDManager manager, float dropout, int microBatch, long seed) {
        return new Cached(encoder, manager, dropout, microBatch, seed);
    }

    /** The gradient-caching passes of one step. */
    final class Cached implements EmbeddingPasses {
        private record Pass(List<long[]> tokenIds, NDArray leaf, int firstSeed) {}

        private final SentenceEncoder encoder;
        private final NDManager manager;
        private final float dropout;
        private final int microBatch;
        private final long seed;
        private final List<Pass> passes = new ArrayList<>();
        private int chunks;

        private Cached(
                SentenceEncoder encoder,
                NDManager manager,
                float dropout,
                int microBatch,
                long seed) {
            if (microBatch < 1) {
                throw new IllegalArgumentException(
                        "micro-batch must be at least 1, got " + microBatch);
            }
            this.encoder = encoder;
            this.manager = manager;
            this.dropout = dropout;
            this.microBatch = microBatch;
            this.seed = seed;
        }

        @Override
        public NDArray embed(List<long[]> tokenIds) {
            int firstSeed = chunks;
            NDList parts = new NDList();
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                for (int start = 0; start < tokenIds.size(); start += microBatch) {
                    seedChunk(chunks++);
                    try (NDManager chunk = manager.newSubManager()) {
                        NDArray pooled =
                                encoder.pooledEmbeddings(
                                        tokenIds.subList(
                                                start,
                                                Math.min(tokenIds.size(), start + microBatch)),
                                        chunk,
                                        dropout);
                        pooled.attach(manager);
                        parts.add(pooled);
                    }
                }
            } finally {
                JniUtils.setGradMode(gradMode);
            }
            NDArray leaf = parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts);
            leaf.attach(manager);
            leaf.setRequiresGradient(true);
            passes.add(new Pass(tokenIds, leaf, firstSeed));
            return leaf;
        }

        @Override
        public void backward(GradientCollector collector) {
            for (Pass pass : passes) {
                NDArray gradient = pass.leaf().getGradient();
                int chunk = pass.firstSeed();
                for (int start = 0; start < pass.tokenIds().size(); start += microBatch) {
                    int end = Math.min(pass.tokenIds().size(), start + microBatch);
                    seedChunk(chunk++);
                    try (NDManager scratch = manager.newSubManager()) {
                        NDArray embeddings =
                                encoder.pooledEmbeddings(
                                        pass.tokenIds().subList(start, end), scratch, dropout);
                        NDArray slice = gradient.get(new NDIndex("{}:{}", start, end));
                        slice.attach(scratch);
                        collector.backward(embeddings.mul(slice).sum());
                    }
                }
            }
        }

        private void seedChunk(int chunk) {
            Engine.getEngine("PyTorch").setRandomSeed((int) (seed * 1_000_003L + chunk));
        }
    }
}
