package io.searchloop.pairs;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * How much evidence one actor may contribute, when an actor stops looking human, and how long state
 * is kept. A request id holds at most {@code maxInteractionsPerRequest} interactions (one more and
 * the whole request counts for nothing). A session's closed searches are held for {@code
 * sessionHold} before their evidence is released, so that a session judged non-human later in that
 * time — more than {@code maxInteractionsPerMinute} in some minute, more than {@code
 * maxEngagementsPerSession} while held, more than {@code maxCartlessPurchases} purchases of
 * products it never put in a cart — contributes nothing; it stays muted for {@code flagRetention}
 * after its last activity. A (query, product) engaged from more than {@code maxBurstSessions}
 * sessions within {@code burstWindow} is a burst: those engagements are dropped. Pair statistics
 * untouched for {@code pairRetention}, and pairs waiting for their catalog item for {@code
 * awaitingRetention}, are forgotten; a punctuation retries at most {@code awaitingRetryBatch}
 * waiting pairs, expires at most that many through the expiry index and sweeps that many pair
 * statistics for any the index missed. A state entry larger than {@code maxStateBytes} is refused
 * (its record is dead-lettered).
 */
public record EvidenceLimits(
        int maxInteractionsPerRequest,
        int maxStateBytes,
        Duration sessionHold,
        int maxEngagementsPerSession,
        int maxInteractionsPerMinute,
        int maxCartlessPurchases,
        Duration flagRetention,
        Duration burstWindow,
        int maxBurstSessions,
        Duration pairRetention,
        Duration awaitingRetention,
        int awaitingRetryBatch) {

    public EvidenceLimits {
        if (maxInteractionsPerRequest < 1
                || maxStateBytes < 1024
                || maxEngagementsPerSession < 1
                || maxInteractionsPerMinute < 1
                || maxCartlessPurchases < 0
                || maxBurstSessions < 1
                || awaitingRetryBatch < 1
                || sessionHold.isNegative()
                || burstWindow.isNegative()
                || flagRetention.isNegative()
                || pairRetention.isNegative()
                || awaitingRetention.isNegative()) {
            throw new IllegalArgumentException(
                    "invalid pair-builder evidence limits (caps >= 1, PAIR_MAX_STATE_BYTES >= 1024, "
                            + "PAIR_MAX_CARTLESS_PURCHASES >= 0, durations >= 0): "
                            + maxInteractionsPerRequest
                            + ", "
                            + maxStateBytes
                            + ", "
                            + sessionHold
                            + ", "
                            + maxEngagementsPerSession
                            + ", "
                            + maxInteractionsPerMinute
                            + ", "
                            + maxCartlessPurchases
                            + ", "
                            + flagRetention
                            + ", "
                            + burstWindow
                            + ", "
                            + maxBurstSessions
                            + ", "
                            + pairRetention
                            + ", "
                            + awaitingRetention
                            + ", "
                            + awaitingRetryBatch);
        }
    }

    public static EvidenceLimits defaults() {
        return new EvidenceLimits(
                50,
                512 * 1024,
                Duration.ofMinutes(10),
                100,
                30,
                2,
                Duration.ofHours(1),
                Duration.ofMinutes(1),
                50,
                Duration.ofDays(90),
                Duration.ofDays(1),
                1000);
    }

    /** How long a session's evidence is held before it counts (bots are found meanwhile). */
    public EvidenceLimits withSessionHold(Duration hold) {
        return copy(c -> c.sessionHold = hold);
    }

    public EvidenceLimits withMaxInteractionsPerMinute(int count) {
        return copy(c -> c.maxInteractionsPerMinute = count);
    }

    /** A burst is told within {@code window}: how long each pair's sessions are counted. */
    public EvidenceLimits withBurstWindow(Duration window) {
        return copy(c -> c.burstWindow = window);
    }

    /** More than {@code count} sessions on one pair within the burst window is a burst. */
    public EvidenceLimits withMaxBurstSessions(int count) {
        return copy(c -> c.maxBurstSessions = count);
    }

    /** Pair statistics untouched for {@code retention} of stream time are forgotten. */
    public EvidenceLimits withPairRetention(Duration retention) {
        return copy(c -> c.pairRetention = retention);
    }

    /**
     * A punctuation retries, expires and sweeps at most {@code count} pairs (see the class
     * comment).
     */
    public EvidenceLimits withAwaitingRetryBatch(int count) {
        return copy(c -> c.awaitingRetryBatch = count);
    }

    /** A copy of this record with the components {@code change} sets. */
    private EvidenceLimits copy(Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return new EvidenceLimits(
                c.maxInteractionsPerRequest,
                c.maxStateBytes,
                c.sessionHold,
                c.maxEngagementsPerSession,
                c.maxInteractionsPerMinute,
                c.maxCartlessPurchases,
                c.flagRetention,
                c.burstWindow,
                c.maxBurstSessions,
                c.pairRetention,
                c.awaitingRetention,
                c.awaitingRetryBatch);
    }

    /** The components of a record being copied, to be changed one by one. */
    private static final class Components {
        private int maxInteractionsPerRequest;
        private int maxStateBytes;
        private Duration sessionHold;
        private int maxEngagementsPerSession;
        private int maxInteractionsPerMinute;
        private int maxCartlessPurchases;
        private Duration flagRetention;
        private Duration burstWindow;
        private int maxBurstSessions;
        private Duration pairRetention;
        private Duration awaitingRetention;
        private int awaitingRetryBatch;

        Components(EvidenceLimits from) {
            maxInteractionsPerRequest = from.maxInteractionsPerRequest;
            maxStateBytes = from.maxStateBytes;
            sessionHold = from.sessionHold;
            maxEngagementsPerSession = from.maxEngagementsPerSession;
            maxInteractionsPerMinute = from.maxInteractionsPerMinute;
            maxCartlessPurchases = from.maxCartlessPurchases;
            flagRetention = from.flagRetention;
            burstWindow = from.burstWindow;
            maxBurstSessions = from.maxBurstSessions;
            pairRetention = from.pairRetention;
            awaitingRetention = from.awaitingRetention;
            awaitingRetryBatch = from.awaitingRetryBatch;
        }
    }
}
