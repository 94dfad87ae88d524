package io.searchloop.search.model;

import io.searchloop.encoder.TextEncoder;
import io.searchloop.search.http.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes search queries for one model on one thread, taking whatever has queued up as one batch
 * (up to {@code maxBatch}): alone a query is encoded at once; under load the per-call cost of the
 * model is shared (8 short queries cost about 3 single ones on CPU), and the native runtime runs on
 * one thread instead of one per HTTP worker. The queue is bounded: when it is full a query is
 * refused at once with 503, and a caller waits at most {@code timeout} for its answer (503 too).
 * Whatever the encoder throws, an {@link Error} included, fails only its batch; the worker goes on.
 * Closing fails what is still queued; {@code whenStopped} (closing the model) runs on the worker
 * after its last call has returned, never under a native call still running.
 */
public final class QueryBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryBatcher.class);
    static final int DEFAULT_CAPACITY = 256;

    /** {@code QUERY_BATCH_MAX=auto}: the batch size follows the runtime that encodes queries. */
    public static final int AUTO = 0;

    /** The batch size {@code auto} gives PyTorch, whose fixed cost per call batching shares. */
    static final int PYTORCH_BATCH = 16;

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Turns a batch of texts into one embedding each. */
    @FunctionalInterface
    interface BatchEncoder {
        float[][] encode(List<String> texts);
    }

    private record Pending(String text, CompletableFuture<float[]> result) {}

    private final BatchEncoder encoder;
    private final int maxBatch;
    private final Duration timeout;
    private final BlockingQueue<Pending> queue;
    private final Runnable whenStopped;
    private final Thread worker;
    private volatile boolean closed;

    /**
     * A batcher over {@code encoder} that closes it when the worker stops; {@code maxBatch} may be
     * {@link #AUTO}.
     */
    QueryBatcher(TextEncoder encoder, int maxBatch, String name) {
        this(
                encoder::encode,
                maxBatch(maxBatch, encoder.engine()),
                DEFAULT_CAPACITY,
                DEFAULT_TIMEOUT,
                name,
                encoder::close);
    }

    QueryBatcher(
            BatchEncoder encoder,
            int maxBatch,
            int capacity,
            Duration timeout,
            String name,
            Runnable whenStopped) {
        this.encoder = encoder;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        this.whenStopped = whenStopped;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::run, "query-encoder-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * The most queries per call on {@code engine} ({@link TextEncoder#engine()}): {@code
     * configured}, or for {@link #AUTO} one on ONNX Runtime — it costs as much per query in a batch
     * as alone, so a batch only makes each query wait for the others (vector p99 at 100 queries/s
     * on 50,000 items, one at a time vs batching 16: 77 vs 224 ms and 32 vs 69 ms in two runs;
     * BENCHMARKS §4a) — and {@value #PYTORCH_BATCH} on PyTorch.
     */
    static int maxBatch(int configured, String engine) {
        if (configured < 0) {
            throw new IllegalArgumentException("a query batch of " + configured);
        }
        if (configured != AUTO) {
            return configured;
        }
        return "onnx".equals(engine) ? 1 : PYTORCH_BATCH;
    }

    /** The most queries one call encodes. */
    int maxBatch() {
        return maxBatch;
    }

    float[] encode(String text) throws InterruptedException {
        if (closed || !worker.isAlive()) {
            throw new IllegalStateException("the query encoder is closed");
        }
        Pending p = new Pending(text, new CompletableFuture<>());
        if (!queue.offer(p)) {
            throw new ApiException(
                    503,
                    "overloaded: "
                            + queue.size()
                            + " queries are waiting for the encoder; retry shortly");
        }
        try {
            return p.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            queue.remove(p);
            p.result().cancel(false);
            throw new ApiException(
                    503,
                    "overloaded: the query was not encoded within "
                            + timeout.toMillis()
                            + " ms; retry shortly");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException("query encoding failed", e.getCause());
        }
    }

    /** Queries waiting for the worker. */
    int queued() {
        return queue.size();
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
                } catch (Error e) {
                    // Fail this batch and go on: a worker that died here would leave every later
                    // query waiting for nobody.
                    LOG.error("query encoder failed on a batch of {}", batch.size(), e);
                    IllegalStateException failed =
                            new IllegalStateException("query encoding failed: " + e);
                    batch.forEach(p -> p.result().completeExceptionally(failed));
                }
                batch.clear();
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } finally {
            IllegalStateException gone = new IllegalStateException("the query encoder closed");
            batch.forEach(p -> p.result().completeExceptionally(gone));
            queue.forEach(p -> p.result().completeExceptionally(gone));
            try {
                whenStopped.run();
            } catch (RuntimeException e) {
                LOG.warn("closing the query encoder failed", e);
            }
        }
    }

    /**
     * Stops the worker and waits up to the query timeout for it. A call into the model that takes
     * longer (a starved CPU) finishes first: the worker closes the model after it, not this method.
     */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
