package io.searchloop.search.model;

import io.searchloop.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Encodes search queries for one model on one thread, taking whatever has queued up as one
 * batch (up to {@code maxBatch}): alone a query is encoded at once; under load the per-call cost
 * of the model is shared (8 short queries cost about 3 single ones on CPU), and the native
 * runtime runs on one thread instead of one per HTTP worker. Closing fails what is still queued.
 */
final class QueryBatcher implements AutoCloseable {
    private record Pending(String text, CompletableFuture<float[]> result) {}

    private final SentenceEncoder encoder;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    QueryBatcher(SentenceEncoder encoder, int maxBatch, String name) {
        this.encoder = encoder;
        this.maxBatch = maxBatch;
        this.worker = new Thread(this::run, "query-encoder-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    float[] encode(String text) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the query encoder is closed");
        }
        Pending p = new Pending(text, new CompletableFuture<>());
        queue.add(p);
        try {
            return p.result().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("query encoding failed", e.getCause());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        try {
            while (!closed) {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                try {
                    float[][] vectors = encoder.encode(batch.stream().map(Pending::text).toList());
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).result().complete(vectors[i]);
                    }
                } catch (RuntimeException e) {
                    batch.forEach(p -> p.result().completeExceptionally(e));
                }
                batch.clear();
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } finally {
            IllegalStateException gone = new IllegalStateException("the query encoder closed");
            batch.forEach(p -> p.result().completeExceptionally(gone));
            queue.forEach(p -> p.result().completeExceptionally(gone));
        }
    }

    /** Stops the worker and waits for it, so the encoder may be closed after this returns. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
