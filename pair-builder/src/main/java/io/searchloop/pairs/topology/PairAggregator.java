package io.searchloop.pairs.topology;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.DropReason;
import io.searchloop.pairs.EvidenceLimits;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.augment.TypoAugmenter;
import io.searchloop.pairs.scoring.Evidence;
import io.searchloop.pairs.scoring.PairStats;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.keys.ProductText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accumulates evidence per (normalized query, product), scores it, and emits a {@link TrainingPair}
 * when the pair first has enough evidence and whenever its score has moved by more than epsilon. A
 * pair that has become due waits in the {@code pair-unsent} store for the next emission (a
 * wall-clock punctuation every emit interval; at once when more than {@link #MAX_UNSENT} wait), so
 * that its updates in that time go out as one record with the latest figures (its typo variants
 * too, by the score it has then): replaying a backlog, a pair used to be emitted with every few
 * searches, 1.08 training-pair records per event (bench "pairs"), where the trainer keeps only the
 * last. With an emit interval of zero a pair is emitted at once, and what a run with an interval
 * left waiting goes out at the next periodic check. The product text comes from the catalog (a
 * global table); a pair whose product is not in the catalog yet waits in the {@code
 * awaiting-catalog} store and is emitted by the periodic check (a bounded batch per punctuation,
 * round-robin) once the item arrives. Strong pairs also emit typo variants of their query (source
 * {@code AUGMENTED_TYPO}), which then follow the pair's score.
 *
 * <p>With a burst window, a pair's evidence is held for that window first: if more sessions engaged
 * the pair in it than the burst limit, none of it counts. Pair statistics untouched for the pair
 * retention are forgotten, found through the {@code pair-stats-expiry} index (keys ordered by time;
 * a pair is indexed when first seen and its entry moves to its last update when it comes due), so
 * expiry reads only entries that are due and evidence for a known pair writes nothing to it. A
 * bounded sweep of the statistics (a batch per wall-clock punctuation, round-robin) forgets any
 * pair the index lost.
 */
final class PairAggregator implements Processor<String, ActorEvidence, String, TrainingPair> {
    private static final Logger LOG = LoggerFactory.getLogger(PairAggregator.class);
    static final String STATS_STORE = "pair-stats";
    static final String AWAITING_STORE = "awaiting-catalog";
    static final String PENDING_STORE = "pair-pending";
    static final String EXPIRY_STORE = "pair-stats-expiry";
    static final String UNSENT_STORE = "pair-unsent";

    /**
     * Pairs waiting for their emission, at most: one more and they are all emitted at once, so that
     * what waits in memory is bounded whatever the traffic.
     */
    static final int MAX_UNSENT = 10_000;

    static final String CATALOG_STORE = "catalog-items";

    private final PairSettings settings;
    private final EvidenceLimits limits;
    private final PairMetrics metrics;
    private final TypoAugmenter augmenter;
    private final DueIndex pendingDue = new DueIndex();
    private final StateSize<PendingPair> stateSize;

    /**
     * Where the sweep starts when the task starts. Random, because the cursor is not stored: if
     * each restart or rebalance started at the first key, restarts more frequent than one round of
     * the store (100 keys a second at the defaults) would never reach its end.
     */
    private final String sweepFrom;

    private ProcessorContext<String, TrainingPair> context;
    private KeyValueStore<String, PairStats> stats;
    private KeyValueStore<String, Long> awaiting;
    private KeyValueStore<String, PendingPair> pending;
    private TimeIndex expiry;
    private KeyValueStore<String, Long> unsentStore;

    /**
     * The keys of {@link #unsentStore}, in the order they became due (those read from the store
     * when the task starts first, in key order), so that what a stop, a crash or a move left unsent
     * is sent.
     */
    private final Set<String> unsent = new LinkedHashSet<>();

    private TimestampedKeyValueStore<String, CatalogItem> catalog;
    private String awaitingCursor;

    /** Where the last sweep of the pair statistics stopped; null: at the start. */
    private String sweepCursor;

    /**
     * False once the awaiting store was seen empty and nothing was put in it since: then an emitted
     * pair has no entry there to clear, and no read is spent to find that out.
     */
    private boolean mayAwait = true;

    PairAggregator(PairSettings settings, PairMetrics metrics) {
        this(settings, metrics, randomKey());
    }

    /**
     * With the statistics' sweep starting at {@code sweepFrom} (null: at the first key) instead of
     * a random point.
     */
    PairAggregator(PairSettings settings, PairMetrics metrics, String sweepFrom) {
        this.sweepFrom = sweepFrom;
        this.settings = settings;
        this.limits = settings.limits();
        this.metrics = metrics;
        this.augmenter = new TypoAugmenter(settings.typoVariants());
        this.stateSize =
                new StateSize<>(StateSerdes.pendingPair().serializer(), limits.maxStateBytes());
    }

    @Override
    public void init(ProcessorContext<String, TrainingPair> context) {
        this.context = context;
        this.stats = context.getStateStore(STATS_STORE);
        this.awaiting = context.getStateStore(AWAITING_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        this.expiry = new TimeIndex(context.getStateStore(EXPIRY_STORE));
        this.catalog = context.getStateStore(CATALOG_STORE);
        this.unsentStore = context.getStateStore(UNSENT_STORE);
        // Cleared first: a task revived after a failure runs init again on this instance, on its
        // stores as of the last commit.
        unsent.clear();
        try (KeyValueIterator<String, Long> all = unsentStore.all()) {
            all.forEachRemaining(kv -> unsent.add(kv.key));
        }
        try (KeyValueIterator<String, Long> any = awaiting.all()) {
            mayAwait = any.hasNext();
        }
        indexUnindexedPairs();
        sweepCursor = sweepFrom;
        StateSerdes.forEachReadable(
                pending, (key, held) -> pendingDue.put(key, held.dueAt(), held.dueAtWall()));
        context.schedule(
                settings.punctuateInterval(),
                PunctuationType.WALL_CLOCK_TIME,
                now -> {
                    releaseDue(context.currentStreamTimeMs(), now);
                    retryAwaiting();
                    sweepStats();
                    if (!deferred() && !unsent.isEmpty()) {
                        sendUnsent(); // left by a run with an emit interval
                    }
                });
        context.schedule(
                settings.punctuateInterval(),
                PunctuationType.STREAM_TIME,
                streamTime -> {
                    releaseDue(streamTime, Long.MIN_VALUE);
                    expire(streamTime);
                });
        if (deferred()) {
            context.schedule(
                    settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> sendUnsent());
        }
    }

    private boolean deferred() {
        return settings.emitInterval().toMillis() > 0;
    }

    @Override
    public void process(Record<String, ActorEvidence> record) {
        ActorEvidence item = record.value();
        if (limits.burstWindow().isZero()) {
            apply(record.key(), item.evidence());
            return;
        }
        String key = record.key();
        PendingPair held = pending.get(key);
        if (held == null) {
            long window = limits.burstWindow().toMillis();
            long dueAt =
                    Math.max(
                                    item.evidence().timestamp()
                                            + settings.window().toMillis()
                                            + settings.grace().toMillis()
                                            + limits.sessionHold().toMillis(),
                                    context.currentStreamTimeMs())
                            + window;
            held = new PendingPair(List.of(), dueAt, context.currentSystemTimeMs() + window, false);
        }
        if (held.burst()) {
            // A burst lasts until the pair has been quiet for a whole window: its tail does not
            // slip through.
            metrics.dropped(DropReason.PRODUCT_BURST, item.evidence().positive() > 0 ? 1 : 0);
            held =
                    held.extendedTo(
                            Math.max(
                                    held.dueAt(),
                                    context.currentStreamTimeMs()
                                            + limits.burstWindow().toMillis()),
                            Math.max(
                                    held.dueAtWall(),
                                    context.currentSystemTimeMs()
                                            + limits.burstWindow().toMillis()));
            pending.put(key, held);
            pendingDue.put(key, held.dueAt(), held.dueAtWall());
            return;
        }
        held = held.with(item);
        if (held.engagingActors() > limits.maxBurstSessions()) {
            metrics.dropped(
                    DropReason.PRODUCT_BURST,
                    held.items().stream().filter(i -> i.evidence().positive() > 0).count());
            held = held.asBurst();
        }
        if (stateSize.check(held)
                != null) { // more than a store entry may hold: count it now rather than fail the
            // changelog
            pending.delete(key);
            pendingDue.remove(key);
            held.items().forEach(i -> apply(key, i.evidence()));
            return;
        }
        pending.put(key, held);
        pendingDue.put(key, held.dueAt(), held.dueAtWall());
        releaseDue(context.currentStreamTimeMs(), Long.MIN_VALUE);
    }

    /**
     * Applies the held evidence of every pair whose burst window has passed (a burst's is gone
     * already).
     */
    private void releaseDue(long streamTime, long wallClock) {
        for (String key : pendingDue.due(streamTime, wallClock)) {
            PendingPair held = pending.get(key);
            pendingDue.remove(key);
            if (held == null) {
                continue;
            }
            pending.delete(key);
            for (ActorEvidence item : held.items()) {
                apply(key, item.evidence());
            }
        }
    }

    private void apply(String key, Evidence e) {
        PairStats current = stats.get(key);
        if (current == null) {
            current = PairStats.empty(e.rawQuery(), e.normalizedQuery(), e.productId());
        }
        PairStats next = current.add(e);
        if (current.observations() == 0) {
            // Indexed once: the entry's time only has to be no later than the pair's last update,
            // since expiry moves it on when it comes due. A pair's further evidence writes nothing
            // to the index (it used to rewrite two entries per update).
            expiry.put(next.updatedAt(), key);
        }
        if (!deferred()) {
            stats.put(key, emitIfDue(key, next));
            return;
        }
        stats.put(key, next);
        if (!unsent.contains(key)
                && settings.scorer().shouldEmit(next, settings.scorer().score(next))) {
            unsentStore.put(key, next.updatedAt());
            unsent.add(key);
            if (unsent.size() > MAX_UNSENT) {
                sendUnsent();
            }
        }
    }

    /**
     * Emits the pairs that became due since the last time, each with its figures as they are now (a
     * score that has come back within epsilon of the last emission is not emitted).
     */
    private void sendUnsent() {
        for (String key : unsent) {
            PairStats pair = stats.get(key);
            if (pair != null) {
                PairStats after = emitIfDue(key, pair);
                if (!after.equals(pair)) {
                    stats.put(key, after);
                }
            }
            unsentStore.put(key, null); // a delete that does not read back the old value
        }
        unsent.clear();
    }

    /**
     * Forgets pairs untouched for the pair retention (a bounded batch per punctuation, oldest
     * first). An entry that comes due for a pair updated since it was written moves to the pair's
     * last update, so the pair is looked at again exactly when it would expire.
     */
    private void expire(long streamTime) {
        long cutoff = streamTime - limits.pairRetention().toMillis();
        for (TimeIndex.Entry entry : expiry.upTo(cutoff, limits.awaitingRetryBatch())) {
            PairStats current = stats.get(entry.key());
            if (current != null && current.updatedAt() > cutoff) {
                // The new entry before the old one goes: a crash in between leaves two.
                expiry.put(current.updatedAt(), entry.key());
            } else if (current != null) {
                stats.delete(entry.key());
                if (mayAwait && awaiting.get(entry.key()) != null) {
                    awaiting.delete(entry.key());
                }
                metrics.expired(1);
            }
            expiry.remove(entry);
        }
    }

    /**
     * Forgets, from a bounded batch of the pair statistics per wall-clock punctuation (continuing
     * where the last one stopped, round-robin), pairs past their retention that the expiry index
     * missed, and entries that cannot be read. Under at-least-once a crash can keep a new pair's
     * statistics and lose its index entry (two changelogs, written one after the other); without
     * this such a pair would never expire. A pair the index does hold is forgotten at the same
     * cutoff either way; its entry then finds nothing when it comes due.
     */
    private void sweepStats() {
        long cutoff = context.currentStreamTimeMs() - limits.pairRetention().toMillis();
        List<String> forget = new ArrayList<>();
        int expired = 0;
        String last = null;
        boolean more;
        try (KeyValueIterator<String, PairStats> batch =
                sweepCursor == null ? stats.all() : stats.range(sweepCursor, null)) {
            int seen = 0;
            while (batch.hasNext() && seen < limits.awaitingRetryBatch()) {
                var kv = batch.next();
                if (kv.key.equals(sweepCursor)) {
                    continue;
                }
                seen++;
                last = kv.key;
                // Null: unreadable, as read (it holds nothing that counts).
                if (kv.value == null) {
                    forget.add(kv.key);
                } else if (kv.value.updatedAt() <= cutoff) {
                    forget.add(kv.key);
                    expired++;
                }
            }
            more = batch.hasNext();
        }
        sweepCursor = more ? last : null;
        for (String key : forget) {
            stats.delete(key);
            if (mayAwait && awaiting.get(key) != null) {
                awaiting.delete(key);
            }
        }
        metrics.expired(expired);
        if (!forget.isEmpty()) {
            // Also when the index is merely behind (more pairs came due than one batch).
            LOG.debug("the sweep forgot {} pairs past their retention", forget.size());
        }
    }

    /** A random point of the pair keys' space (they are hex hashes, {@code PairKey}). */
    private static String randomKey() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Indexes every pair for expiry when the index is empty but pairs are not: state written by a
     * version from before the index existed, whose pairs would otherwise never expire (a pair is
     * indexed when first seen). One read of the stats store, only in that case.
     */
    private void indexUnindexedPairs() {
        if (!expiry.isEmpty()) {
            return;
        }
        int[] indexed = {0};
        StateSerdes.forEachReadable(
                stats,
                (key, pair) -> {
                    expiry.put(pair.updatedAt(), key);
                    indexed[0]++;
                });
        if (indexed[0] > 0) {
            LOG.info("indexed {} pairs written without an expiry entry", indexed[0]);
        }
    }

    /**
     * Emits the pair if its score is due and the product text is known; returns the stats to store.
     */
    private PairStats emitIfDue(String key, PairStats pair) {
        double score = settings.scorer().score(pair);
        if (!settings.scorer().shouldEmit(pair, score)) {
            return pair;
        }
        String text = productText(pair.productId());
        if (text == null) {
            awaiting.put(key, pair.updatedAt());
            mayAwait = true;
            return pair;
        }
        if (mayAwait && awaiting.get(key) != null) {
            awaiting.put(
                    key, null); // only when present: an unconditional delete writes a changelog
            // tombstone per emission
        }
        forward(
                key,
                pair,
                pair.rawQuery(),
                pair.normalizedQuery(),
                null,
                text,
                score,
                PairSource.INTERACTIONS);
        boolean augment =
                settings.augmentTypos() && (pair.augmented() || score >= settings.typoMinScore());
        if (augment) {
            for (String variant : augmenter.variants(pair.normalizedQuery())) {
                forward(
                        PairKey.ofVariant(variant, pair.normalizedQuery(), pair.productId()),
                        pair,
                        variant,
                        variant,
                        pair.normalizedQuery(),
                        text,
                        score,
                        PairSource.AUGMENTED_TYPO);
            }
        }
        return pair.emitted(score, augment);
    }

    private void forward(
            String key,
            PairStats pair,
            String query,
            String normalized,
            String augmentedFrom,
            String text,
            double score,
            PairSource source) {
        TrainingPair out =
                TrainingPair.newBuilder()
                        .setQuery(query)
                        .setNormalizedQuery(normalized)
                        .setProductId(pair.productId())
                        .setProductText(text)
                        .setScore(score)
                        .setSource(source)
                        .setAugmentedFrom(augmentedFrom)
                        .setImpressions((double) pair.observations())
                        .setPositives(pair.positives())
                        .setSkips(pair.skips())
                        .setUpdatedAt(Instant.ofEpochMilli(pair.updatedAt()))
                        .build();
        context.forward(new Record<>(key, out, pair.updatedAt()));
        metrics.emitted(source);
    }

    /**
     * Retries a bounded batch of waiting pairs, continuing where the last punctuation stopped;
     * forgets those waiting too long.
     */
    private void retryAwaiting() {
        List<String> keys = new ArrayList<>();
        List<Long> since = new ArrayList<>();
        boolean more;
        try (KeyValueIterator<String, Long> batch =
                awaitingCursor == null ? awaiting.all() : awaiting.range(awaitingCursor, null)) {
            while (batch.hasNext() && keys.size() < limits.awaitingRetryBatch()) {
                var kv = batch.next();
                if (!kv.key.equals(awaitingCursor)) {
                    keys.add(kv.key);
                    since.add(kv.value);
                }
            }
            more = batch.hasNext();
        }
        if (awaitingCursor == null && keys.isEmpty()) {
            mayAwait = false; // read from the start and found nothing
        }
        awaitingCursor = more && !keys.isEmpty() ? keys.get(keys.size() - 1) : null;
        long cutoff = context.currentStreamTimeMs() - limits.awaitingRetention().toMillis();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            PairStats pair = stats.get(key);
            if (pair == null || (since.get(i) != null && since.get(i) < cutoff)) {
                awaiting.delete(key);
                metrics.expired(pair == null ? 0 : 1);
            } else if (productText(pair.productId()) != null) {
                stats.put(key, emitIfDue(key, pair));
            }
        }
    }

    private String productText(String productId) {
        ValueAndTimestamp<CatalogItem> entry = catalog.get(productId);
        if (entry == null || entry.value() == null) {
            return null;
        }
        return ProductText.of(entry.value(), settings.productAttributes());
    }
}
