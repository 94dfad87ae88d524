package io.searchloop.pairs.topology;

import static io.searchloop.pairs.topology.StoreReadsTest.aggregatorStores;
import static io.searchloop.pairs.topology.StoreReadsTest.catalog;
import static io.searchloop.pairs.topology.StoreReadsTest.evidence;
import static io.searchloop.pairs.topology.StoreReadsTest.item;
import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.scoring.PairStats;
import io.searchloop.schemas.keys.PairKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pair that has become due waits the emit interval, so that its updates in between go out as one
 * record with the latest figures; what waits survives a restart, and is bounded.
 */
class EmitIntervalTest {
    private static final long T0 = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    /**
     * The defaults (emit interval one second), a pair emitted from its first observation, evidence
     * counted as it comes (no burst hold).
     */
    private final PairSettings settings =
            PairSettings.defaults()
                    .withScorer(PairSettings.defaults().scorer().withMinObservations(1))
                    .withTypoAugmentation(false)
                    .withLimits(
                            PairTopologyTest.withBurst(
                                    PairSettings.defaults().limits(), Duration.ZERO, 50));

    private final MockProcessorContext<String, TrainingPair> context = new MockProcessorContext<>();
    private TimestampedKeyValueStore<String, CatalogItem> catalog;

    @BeforeEach
    void stores() {
        context.setCurrentStreamTimeMs(T0);
        context.setCurrentSystemTimeMs(T0);
        aggregatorStores(context);
        catalog = catalog(context);
        catalog.put("p1", ValueAndTimestamp.make(item("p1"), T0));
        catalog.put("p2", ValueAndTimestamp.make(item("p2"), T0));
    }

    @Test
    void shouldEmitAPairOnceAnEmitIntervalWithItsLatestFigures() {
        assertThat(settings.emitInterval()).as("the default").isEqualTo(INTERVAL);
        PairAggregator aggregator = start();
        // At once, each of these clicks would be an emission: 0.53, 0.65, 0.72.
        for (int i = 0; i < 3; i++) {
            aggregator.process(evidence("p1", T0 + i * 60_000L));
        }
        assertThat(context.forwarded()).as("nothing before the interval").isEmpty();

        emitPunctuator().getPunctuator().punctuate(T0);

        assertThat(emitted()).hasSize(1);
        TrainingPair pair = emitted().get(0);
        assertThat(pair.getPositives()).isEqualTo(3.0);
        assertThat(pair.getImpressions()).isEqualTo(3.0);
        assertThat(pair.getScore()).isEqualTo((3 + 0.6) / (3 + 2));
        emitPunctuator().getPunctuator().punctuate(T0 + 1_000);
        assertThat(emitted()).as("nothing new: nothing sent again").hasSize(1);
    }

    @Test
    void shouldNotEmitAPairWhoseScoreCameBackWithinEpsilonOfItsLastEmission() {
        PairAggregator aggregator = start();
        aggregator.process(evidence("p1", T0));
        emitPunctuator().getPunctuator().punctuate(T0);
        assertThat(emitted()).hasSize(1); // 1.6 / 3 = 0.533

        aggregator.process(evidence("p1", 0, 1, T0 + 60_000)); // 1.6 / 4 = 0.40: due
        aggregator.process(evidence("p1", 1, 0, T0 + 120_000)); // 2.6 / 5 = 0.52: back within 0.05
        emitPunctuator().getPunctuator().punctuate(T0 + 1_000);

        assertThat(emitted()).hasSize(1);
    }

    @Test
    void shouldEmitWhatWasLeftUnsentWhenTheTaskStartsAgain() {
        PairAggregator aggregator = start();
        aggregator.process(evidence("p1", T0));
        aggregator.process(evidence("p2", T0));
        assertThat(context.forwarded()).isEmpty();

        // The task stops (a crash, a rebalance) before its punctuation: a new one on its state
        // (its punctuator is the last scheduled).
        start();
        emitPunctuator().getPunctuator().punctuate(T0 + 1_000);

        assertThat(emitted())
                .extracting(TrainingPair::getProductId)
                .containsExactlyInAnyOrder("p1", "p2");
    }

    @Test
    void shouldEmitAtOnceWhenMoreThanTheBoundWaits() {
        PairAggregator aggregator = start();
        int pairs = PairAggregator.MAX_UNSENT + 1;
        for (int i = 0; i < pairs; i++) {
            catalog.put("x" + i, ValueAndTimestamp.make(item("x" + i), T0));
            aggregator.process(evidence("x" + i, T0));
        }

        assertThat(context.forwarded()).as("no punctuation ran").hasSize(pairs);
        assertThat(waiting()).as("nothing left waiting").isZero();
    }

    @Test
    void shouldEmitWhatARunWithAnIntervalLeftUnsentWhenStartedWithoutOne() {
        start().process(evidence("p1", T0));
        assertThat(waiting()).isEqualTo(1);

        // Restarted with PAIR_EMIT_INTERVAL=PT0S: the periodic check sends what waits.
        new PairAggregator(settings.withEmitInterval(Duration.ZERO), new PairMetrics())
                .init(context);
        periodicCheck().getPunctuator().punctuate(T0 + 10_000);

        assertThat(emitted()).extracting(TrainingPair::getProductId).containsExactly("p1");
        assertThat(waiting()).isZero();
    }

    @Test
    void shouldMarkAPairAgainWhenARevivedTaskProcessesItsInputAgain() {
        PairAggregator aggregator = start();
        aggregator.process(evidence("p1", T0));
        // A failure before the commit: the stores go back to the last commit (the mark is gone)
        // and the same instance is initialized again, then processes the input again.
        KeyValueStore<String, Long> unsent = context.getStateStore(PairAggregator.UNSENT_STORE);
        unsent.delete(PairKey.of("q", "p1"));
        KeyValueStore<String, PairStats> stats = context.getStateStore(PairAggregator.STATS_STORE);
        stats.delete(PairKey.of("q", "p1"));
        aggregator.init(context);
        aggregator.process(evidence("p1", T0));

        assertThat(waiting())
                .as("marked in the store, so that a second crash keeps it")
                .isEqualTo(1);
        emitPunctuator().getPunctuator().punctuate(T0 + 1_000);
        assertThat(emitted()).hasSize(1);
    }

    @Test
    void shouldEmitAPairReleasedFromItsBurstHoldWithTheNextEmission() {
        Duration burst = Duration.ofMinutes(1);
        PairAggregator aggregator =
                new PairAggregator(
                        settings.withLimits(
                                PairTopologyTest.withBurst(settings.limits(), burst, 50)),
                        new PairMetrics());
        aggregator.init(context);
        aggregator.process(evidence("p1", T0));
        long afterBurst = T0 + burst.toMillis() + 1;
        context.setCurrentSystemTimeMs(afterBurst);
        periodicCheck().getPunctuator().punctuate(afterBurst);
        assertThat(context.forwarded()).as("released, waiting for the emission").isEmpty();

        emitPunctuator().getPunctuator().punctuate(afterBurst);

        assertThat(emitted()).extracting(TrainingPair::getProductId).containsExactly("p1");
    }

    @Test
    void shouldEmitAPairWhoseProductWasMissingOnceTheCatalogHasIt() {
        PairAggregator aggregator = start();
        aggregator.process(evidence("p3", T0));
        emitPunctuator().getPunctuator().punctuate(T0 + 1_000);
        assertThat(context.forwarded()).as("p3 is not in the catalog").isEmpty();
        assertThat(waiting()).isZero();

        catalog.put("p3", ValueAndTimestamp.make(item("p3"), T0));
        periodicCheck().getPunctuator().punctuate(T0 + 10_000);

        assertThat(emitted()).extracting(TrainingPair::getProductId).containsExactly("p3");
    }

    private PairAggregator start() {
        PairAggregator aggregator = new PairAggregator(settings, new PairMetrics());
        aggregator.init(context);
        return aggregator;
    }

    private CapturedPunctuator emitPunctuator() {
        return wallClockPunctuator(INTERVAL);
    }

    /**
     * The periodic check (holds, catalog), the wall-clock punctuation of the punctuate interval.
     */
    private CapturedPunctuator periodicCheck() {
        return wallClockPunctuator(settings.punctuateInterval());
    }

    /** The last scheduled wall-clock punctuation of {@code interval}. */
    private CapturedPunctuator wallClockPunctuator(Duration interval) {
        return context.scheduledPunctuators().stream()
                .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME)
                .filter(p -> p.getInterval().equals(interval))
                .reduce((first, last) -> last)
                .orElseThrow();
    }

    private long waiting() {
        KeyValueStore<String, Long> unsent = context.getStateStore(PairAggregator.UNSENT_STORE);
        return unsent.approximateNumEntries();
    }

    private List<TrainingPair> emitted() {
        return context.forwarded().stream().<TrainingPair>map(f -> f.record().value()).toList();
    }
}
