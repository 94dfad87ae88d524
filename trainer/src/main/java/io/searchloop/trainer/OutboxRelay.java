package io.searchloop.trainer;

import io.searchloop.trainer.store.TrainerStore;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the model-version events the database recorded (the outbox rows written with each
 * status change) in the order they were recorded, marking each sent once the broker acknowledged
 * it. It runs after every change, every second, and on start-up, so an event whose publish failed
 * or whose process died is sent later: the topic ends up saying what the database says. A crash
 * between the acknowledgement and the mark sends that event twice; consumers are idempotent and
 * compaction keeps one.
 */
public final class OutboxRelay {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    private final TrainerStore store;
    private final ModelEvents events;

    public OutboxRelay(TrainerStore store, ModelEvents events) {
        this.store = store;
        this.events = events;
    }

    /** Publishes everything unsent; returns how many events it sent. Stops at the first failure, keeping the order. */
    public synchronized int publishPending() throws SQLException {
        int sent = 0;
        while (true) {
            var pending = store.unsentEvents(BATCH);
            for (TrainerStore.OutboxEvent e : pending) {
                events.publish(e.version());
                store.markSent(e.id());
                sent++;
            }
            if (pending.size() < BATCH) {
                return sent;
            }
        }
    }

    /** {@link #publishPending()}, logging a failure instead of throwing it: the next run retries. */
    public void publishQuietly() {
        try {
            int sent = publishPending();
            if (sent > 0) {
                LOG.info("published {} model-version events from the outbox", sent);
            }
        } catch (Exception e) {
            LOG.warn("model-version events stay in the outbox for now: {}", e.getMessage());
        }
    }
}
