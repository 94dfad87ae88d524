package io.searchloop.pairs.topology;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.augment.TypoAugmenter;
import io.searchloop.pairs.scoring.Evidence;
import io.searchloop.pairs.scoring.PairStats;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.keys.ProductText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Accumulates evidence per (normalized query, product), scores it, and emits a
 * {@link TrainingPair} when the pair first has enough evidence and whenever its score has moved
 * by more than epsilon. The product text comes from the catalog (a global table); a pair whose
 * product is not in the catalog yet waits in the {@code awaiting-catalog} store and is emitted
 * by the periodic check once the item arrives. Strong pairs also emit typo variants of their
 * query (source {@code AUGMENTED_TYPO}), which then follow the pair's score.
 */
final class PairAggregator implements Processor<String, Evidence, String, TrainingPair> {
    static final String STATS_STORE = "pair-stats";
    static final String AWAITING_STORE = "awaiting-catalog";
    static final String CATALOG_STORE = "catalog-items";

    private final PairSettings settings;
    private final PairMetrics metrics;
    private final TypoAugmenter augmenter;
    private ProcessorContext<String, TrainingPair> context;
    private KeyValueStore<String, PairStats> stats;
    private KeyValueStore<String, Long> awaiting;
    private TimestampedKeyValueStore<String, CatalogItem> catalog;

    PairAggregator(PairSettings settings, PairMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.augmenter = new TypoAugmenter(settings.typoVariants());
    }

    @Override
    public void init(ProcessorContext<String, TrainingPair> context) {
        this.context = context;
        this.stats = context.getStateStore(STATS_STORE);
        this.awaiting = context.getStateStore(AWAITING_STORE);
        this.catalog = context.getStateStore(CATALOG_STORE);
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, now -> retryAwaiting());
    }

    @Override
    public void process(Record<String, Evidence> record) {
        Evidence e = record.value();
        PairStats current = stats.get(record.key());
        if (current == null) {
            current = PairStats.empty(e.rawQuery(), e.normalizedQuery(), e.productId());
        }
        stats.put(record.key(), emitIfDue(record.key(), current.add(e)));
    }

    /** Emits the pair if its score is due and the product text is known; returns the stats to store. */
    private PairStats emitIfDue(String key, PairStats pair) {
        double score = settings.scorer().score(pair);
        if (!settings.scorer().shouldEmit(pair, score)) {
            return pair;
        }
        String text = productText(pair.productId());
        if (text == null) {
            awaiting.put(key, pair.updatedAt());
            return pair;
        }
        if (awaiting.get(key) != null) {
            awaiting.put(key, null); // only when present: an unconditional delete writes a changelog tombstone per emission
        }
        forward(key, pair, pair.rawQuery(), pair.normalizedQuery(), null, text, score, PairSource.INTERACTIONS);
        boolean augment = settings.augmentTypos() && (pair.augmented() || score >= settings.typoMinScore());
        if (augment) {
            for (String variant : augmenter.variants(pair.normalizedQuery())) {
                forward(PairKey.ofVariant(variant, pair.normalizedQuery(), pair.productId()), pair, variant, variant, pair.normalizedQuery(), text, score, PairSource.AUGMENTED_TYPO);
            }
        }
        return pair.emitted(score, augment);
    }

    private void forward(String key, PairStats pair, String query, String normalized, String augmentedFrom, String text, double score,
                         PairSource source) {
        TrainingPair out = TrainingPair.newBuilder()
                .setQuery(query)
                .setNormalizedQuery(normalized)
                .setProductId(pair.productId())
                .setProductText(text)
                .setScore(score)
                .setSource(source)
                .setAugmentedFrom(augmentedFrom)
                .setImpressions(pair.observations())
                .setPositives(pair.positives())
                .setSkips(pair.skips())
                .setUpdatedAt(Instant.ofEpochMilli(pair.updatedAt()))
                .build();
        context.forward(new Record<>(key, out, pair.updatedAt()));
        metrics.emitted(source);
    }

    private void retryAwaiting() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = awaiting.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        for (String key : keys) {
            PairStats pair = stats.get(key);
            if (pair == null) {
                awaiting.delete(key);
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
