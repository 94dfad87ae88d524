package io.searchloop.search.model;

import io.searchloop.encoder.TextEncoder;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One consistent pair of (model, index) that a request uses from start to end. Requests {@link
 * #acquire()} and {@link #release()} it; once superseded it is retired and its encoder closed when
 * the last in-flight request releases it.
 */
public final class ActiveModel {
    private final String version;
    private final String table;
    private final Instant activatedAt;
    private final TextEncoder encoder;
    private final QueryBatcher queries;
    private final AtomicInteger users = new AtomicInteger(1); // the holder's own reference

    public ActiveModel(
            String version,
            String table,
            Instant activatedAt,
            TextEncoder encoder,
            int queryBatch) {
        if (!table.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("refusing index table name " + table);
        }
        this.version = version;
        this.table = table;
        this.activatedAt = activatedAt;
        this.encoder = encoder;
        this.queries = new QueryBatcher(encoder, queryBatch, version);
    }

    /** The most queries one encoder call takes for this model. */
    public int queryBatchMax() {
        return queries.maxBatch();
    }

    /** Takes a reference; false if the model was already retired and closed. */
    public boolean acquire() {
        while (true) {
            int n = users.get();
            if (n == 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void release() {
        if (users.decrementAndGet() == 0) {
            // The batcher's worker closes the encoder once its last call has returned.
            queries.close();
        }
    }

    /** Drops the holder's reference: the encoder closes after the last request in flight. */
    public void retire() {
        release();
    }

    public String version() {
        return version;
    }

    /** Queries waiting for this model's encoder. */
    public int queuedQueries() {
        return queries.queued();
    }

    public String table() {
        return table;
    }

    public Instant activatedAt() {
        return activatedAt;
    }

    public TextEncoder encoder() {
        return encoder;
    }

    /** The query's embedding, encoded together with queries that arrive at the same time. */
    public float[] encodeQuery(String text) throws InterruptedException {
        return queries.encode(text);
    }
}
