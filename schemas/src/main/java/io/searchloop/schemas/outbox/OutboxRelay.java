package io.searchloop.schemas.outbox;

import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the events a service's database recorded in an outbox table (each row written in the
 * same transaction as the change it announces) in the order they were recorded, marking each sent
 * once the broker acknowledged it. A service runs it after every change, periodically and on
 * start-up, so an event whose publish failed, or whose process died, goes out later: the topic ends
 * up saying what the database says. A crash between the acknowledgement and the mark sends that
 * event twice; consumers are idempotent.
 */
public final class OutboxRelay<E> {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    /** An event waiting in an outbox table. */
    public record Pending<E>(long id, E event) {}

    /** The outbox table of one kind of event. */
    public interface Outbox<E> {
        /** The oldest unsent events, at most {@code limit}, in the order they were recorded. */
        List<Pending<E>> unsent(int limit) throws SQLException;

        void markSent(long id) throws SQLException;
    }

    /**
     * Publishes one event, returning only once the broker acknowledged it; throws if it did not.
     */
    @FunctionalInterface
    public interface Publisher<E> {
        void publish(E event);
    }

    private final String what;
    private final Outbox<E> outbox;
    private final Publisher<E> publisher;

    /** {@code what} names the events in log lines ("model-version events"). */
    public OutboxRelay(String what, Outbox<E> outbox, Publisher<E> publisher) {
        this.what = what;
        this.outbox = outbox;
        this.publisher = publisher;
    }

    /**
     * Publishes everything unsent; returns how many events it sent. Stops at the first failure,
     * keeping the order.
     */
    public synchronized int publishPending() throws SQLException {
        int sent = 0;
        while (true) {
            List<Pending<E>> pending = outbox.unsent(BATCH);
            for (Pending<E> p : pending) {
                publisher.publish(p.event());
                outbox.markSent(p.id());
                sent++;
            }
            if (pending.size() < BATCH) {
                return sent;
            }
        }
    }

    /**
     * {@link #publishPending()}, logging a failure instead of throwing it: the next run retries.
     */
    public void publishQuietly() {
        try {
            int sent = publishPending();
            if (sent > 0) {
                LOG.info("published {} {} from the outbox", sent, what);
            }
        } catch (Exception e) {
            LOG.warn("{} stay in the outbox for now: {}", what, e.getMessage());
        } catch (Error e) {
            // A scheduled run that throws ends its schedule for good: log it and let the next run
            // retry.
            LOG.error("{} stay in the outbox for now", what, e);
        }
    }
}
