package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.events.PairSource;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.SearchResult;
import io.searchloop.events.TrainingPair;
import io.searchloop.pairs.DropReason;
import io.searchloop.pairs.EvidenceLimits;
import io.searchloop.pairs.PairMetrics;
import io.searchloop.pairs.PairSettings;
import io.searchloop.pairs.scoring.PairScorer;
import io.searchloop.schemas.keys.PairKey;
import io.searchloop.schemas.registry.InMemorySchemaRegistry;
import io.searchloop.schemas.topics.DeadLetters;
import io.searchloop.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PairTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final List<String> PRODUCTS = List.of("p1", "p2", "p3", "p4", "p5");

    private final Topics topics =
            Topics.autoRegistering(InMemorySchemaRegistry.scope("topology-" + UUID.randomUUID()));
    private final PairMetrics metrics = new PairMetrics();
    private PairSettings settings = withMinObservations(PairSettings.defaults(), 1, false);
    private TopologyTestDriver driver;
    private TestInputTopic<String, SearchPerformed> searchIn;
    private TestInputTopic<String, Interaction> interactionIn;
    private TestInputTopic<String, CatalogItem> catalogIn;
    private TestOutputTopic<String, TrainingPair> pairsOut;

    /**
     * With pairs emitted as soon as they are due (emit interval zero), so that every emission these
     * tests look for is there when the input that caused it has been processed; the default
     * interval is tested apart ({@code shouldEmitAPairOnceAnEmitIntervalWithItsLatestFigures}).
     */
    static PairSettings withMinObservations(PairSettings s, int min, boolean augment) {
        return new PairSettings(
                s.window(),
                s.grace(),
                s.punctuateInterval(),
                Duration.ZERO,
                s.weights(),
                s.propensity(),
                new PairScorer(
                        s.scorer().priorMean(),
                        s.scorer().priorStrength(),
                        min,
                        s.scorer().epsilon()),
                s.productAttributes(),
                augment,
                s.typoVariants(),
                s.typoMinScore(),
                withBurst(s.limits(), Duration.ZERO, 50));
    }

    static EvidenceLimits withBurst(EvidenceLimits l, Duration window, int maxSessions) {
        return new EvidenceLimits(
                l.maxInteractionsPerRequest(),
                l.maxStateBytes(),
                l.sessionHold(),
                l.maxEngagementsPerSession(),
                l.maxInteractionsPerMinute(),
                l.maxCartlessPurchases(),
                l.flagRetention(),
                window,
                maxSessions,
                l.pairRetention(),
                l.awaitingRetention(),
                l.awaitingRetryBatch());
    }

    @BeforeEach
    void start() {
        open(settings);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void open(PairSettings s) {
        open(s, true);
    }

    private void open(PairSettings s, boolean transactional) {
        if (driver != null) {
            driver.close();
        }
        settings = s;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pair-builder-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver =
                new TopologyTestDriver(
                        new PairTopology(
                                        topics.searchEvents(),
                                        topics.interactions(),
                                        topics.catalog(),
                                        topics.trainingPairs(),
                                        s,
                                        metrics,
                                        transactional)
                                .build(),
                        props,
                        T0);
        searchIn =
                driver.createInputTopic(
                        Topics.SEARCH_EVENTS,
                        new StringSerializer(),
                        topics.searchEvents().valueSerde().serializer());
        interactionIn =
                driver.createInputTopic(
                        Topics.INTERACTIONS,
                        new StringSerializer(),
                        topics.interactions().valueSerde().serializer());
        catalogIn =
                driver.createInputTopic(
                        Topics.CATALOG,
                        new StringSerializer(),
                        topics.catalog().valueSerde().serializer());
        pairsOut =
                driver.createOutputTopic(
                        Topics.TRAINING_PAIRS,
                        new StringDeserializer(),
                        topics.trainingPairs().valueSerde().deserializer());
        for (String p : PRODUCTS) {
            catalogIn.pipeInput(
                    p,
                    CatalogItem.newBuilder()
                            .setId(p)
                            .setTitle("Product " + p)
                            .setCategory("Cat")
                            .setUpdatedAt(T0)
                            .build(),
                    T0);
        }
    }

    private void search(String requestId, String query, Instant at, String... shown) {
        sessionSearch(requestId, null, query, at, shown);
    }

    private void sessionSearch(
            String requestId, String session, String query, Instant at, String... shown) {
        List<SearchResult> results = new ArrayList<>();
        for (int i = 0; i < shown.length; i++) {
            results.add(
                    SearchResult.newBuilder().setProductId(shown[i]).setPosition(i + 1).build());
        }
        searchIn.pipeInput(
                requestId,
                SearchPerformed.newBuilder()
                        .setRequestId(requestId)
                        .setSessionId(session)
                        .setQuery(query)
                        .setResults(results)
                        .setTimestamp(at)
                        .build(),
                at);
    }

    private void interact(
            String requestId, String product, int position, InteractionType type, Instant at) {
        interactionIn.pipeInput(
                requestId,
                Interaction.newBuilder()
                        .setType(type)
                        .setRequestId(requestId)
                        .setProductId(product)
                        .setPosition(position)
                        .setTimestamp(at)
                        .build(),
                at);
    }

    /** Advances stream time past every open window with an unrelated search. */
    private void closeWindows(Instant after) {
        search("tick-" + after.toEpochMilli(), "tick", after.plus(Duration.ofMinutes(36)), "p5");
    }

    private Map<String, TrainingPair> latestByProduct() {
        return pairsOut.readRecordsToList().stream()
                .map(TestRecord::getValue)
                .filter(p -> p.getSource() == PairSource.INTERACTIONS)
                .collect(Collectors.toMap(TrainingPair::getProductId, p -> p, (a, b) -> b));
    }

    @Test
    void shouldScoreSkippedResultsAboveClickAsNegatives() {
        search("r1", "Дымоход 115/200", T0, "p1", "p2", "p3", "p4");
        interact("r1", "p3", 3, InteractionType.CLICK, T0.plusSeconds(20));
        assertThat(pairsOut.isEmpty()).as("nothing before the window closes").isTrue();

        closeWindows(T0);

        Map<String, TrainingPair> pairs = latestByProduct();
        assertThat(pairs).containsOnlyKeys("p1", "p2", "p3");
        // skip: (0 + 2·0.3) / (0 + 1 + 2) = 0.2; click at 3 weighs 3: (3 + 0.6) / (3 + 2) = 0.72
        assertThat(pairs.get("p1").getScore())
                .isEqualTo(0.2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(pairs.get("p3").getScore())
                .isEqualTo(0.72, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(pairs.get("p3").getNormalizedQuery()).isEqualTo("дымоход 115/200");
        assertThat(pairs.get("p3").getQuery()).isEqualTo("Дымоход 115/200");
        assertThat(pairs.get("p3").getProductText()).isEqualTo("Product p3 | Cat");
        assertThat(pairsOut.isEmpty()).isTrue();
    }

    @Test
    void shouldKeyPairsByNormalizedQueryAndProduct() {
        search("r1", "  ДЫМОХОД!! ", T0, "p1");
        interact("r1", "p1", 1, InteractionType.CLICK, T0.plusSeconds(5));
        closeWindows(T0);
        TestRecord<String, TrainingPair> record =
                pairsOut.readRecordsToList().stream()
                        .filter(r -> r.getValue().getProductId().equals("p1"))
                        .findFirst()
                        .orElseThrow();
        assertThat(record.getKey()).isEqualTo(PairKey.of("дымоход", "p1"));
    }

    @Test
    void shouldWeightPurchasesAboveCartsAboveClicks() {
        search("a", "q", T0, "p1");
        interact("a", "p1", 1, InteractionType.CLICK, T0.plusSeconds(1));
        search("b", "q", T0, "p2");
        interact("b", "p2", 1, InteractionType.ADD_TO_CART, T0.plusSeconds(1));
        search("c", "q", T0, "p3");
        interact("c", "p3", 1, InteractionType.CLICK, T0.plusSeconds(1));
        interact(
                "c",
                "p3",
                1,
                InteractionType.PURCHASE,
                T0.plusSeconds(2)); // strongest engagement counts once
        closeWindows(T0);
        Map<String, TrainingPair> pairs = latestByProduct();
        assertThat(pairs.get("p1").getPositives()).isEqualTo(1.0);
        assertThat(pairs.get("p2").getPositives()).isEqualTo(2.0);
        assertThat(pairs.get("p3").getPositives()).isEqualTo(4.0);
        assertThat(pairs.get("p3").getScore()).isGreaterThan(pairs.get("p2").getScore());
        assertThat(pairs.get("p2").getScore()).isGreaterThan(pairs.get("p1").getScore());
    }

    @Test
    void shouldTrustDeepClicksMoreThanTopClicks() {
        search("a", "q1", T0, "p1", "p2", "p3", "p4", "p5");
        interact("a", "p1", 1, InteractionType.CLICK, T0.plusSeconds(1));
        search("b", "q2", T0, "p2", "p3", "p4", "p5", "p1");
        interact("b", "p1", 5, InteractionType.CLICK, T0.plusSeconds(1));
        closeWindows(T0);
        List<TrainingPair> out = pairsOut.readValuesToList();
        double top =
                out.stream()
                        .filter(
                                p ->
                                        p.getNormalizedQuery().equals("q1")
                                                && p.getProductId().equals("p1"))
                        .findFirst()
                        .orElseThrow()
                        .getScore();
        double deep =
                out.stream()
                        .filter(
                                p ->
                                        p.getNormalizedQuery().equals("q2")
                                                && p.getProductId().equals("p1"))
                        .findFirst()
                        .orElseThrow()
                        .getScore();
        assertThat(deep).isGreaterThan(top);
    }

    @Test
    void shouldGiveTheSameResultForOutOfOrderInteractionsWithinGrace() {
        search("r1", "q", T0, "p1", "p2", "p3");
        interact("r1", "p2", 2, InteractionType.CLICK, T0.plusSeconds(30));
        closeWindows(T0);
        List<TrainingPair> inOrder = pairsOut.readValuesToList();

        open(settings);
        interact(
                "r1",
                "p2",
                2,
                InteractionType.CLICK,
                T0.plusSeconds(30)); // the click is read first
        search("r1", "q", T0, "p1", "p2", "p3");
        closeWindows(T0);
        assertThat(pairsOut.readValuesToList()).isEqualTo(inOrder);
    }

    @Test
    void shouldDropInteractionsAfterTheWindowAndThoseWithoutASearch() {
        search("r1", "q", T0, "p1", "p2");
        interact("r1", "p2", 2, InteractionType.CLICK, T0.plus(Duration.ofMinutes(31)));
        interact("nobody", "p1", 1, InteractionType.CLICK, T0.plusSeconds(10));
        closeWindows(T0.plus(Duration.ofMinutes(31)));
        assertThat(pairsOut.readValuesToList()).noneMatch(p -> p.getNormalizedQuery().equals("q"));
        assertThat(metrics.unmatchedInteractionCount()).isEqualTo(2);
    }

    @Test
    void shouldCloseWindowsAfterGraceOnly() {
        search("r1", "q", T0, "p1");
        interact("r1", "p1", 1, InteractionType.CLICK, T0.plusSeconds(10));
        search(
                "later",
                "other",
                T0.plus(Duration.ofMinutes(34)),
                "p5"); // stream time within window + grace
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(pairsOut.isEmpty()).isTrue();
        search("later2", "other", T0.plus(Duration.ofMinutes(35)), "p5"); // exactly window + grace
        assertThat(pairsOut.readValuesToList())
                .extracting(TrainingPair::getNormalizedQuery)
                .contains("q");
    }

    @Test
    void shouldMoveTheDeadlineWhenTheSearchArrivesAfterItsInteractionAndForgetClosedSearches() {
        interact(
                "r1",
                "p1",
                1,
                InteractionType.CLICK,
                T0); // the click's clock ran ahead of the search's
        search("r1", "q", T0.plus(Duration.ofMinutes(2)), "p1");
        search(
                "later",
                "other",
                T0.plus(Duration.ofMinutes(36)),
                "p5"); // past the click's deadline, not the search's
        assertThat(pairsOut.isEmpty()).isTrue();
        search("later2", "other", T0.plus(Duration.ofMinutes(37)), "p5");
        assertThat(pairsOut.readValuesToList())
                .extracting(TrainingPair::getNormalizedQuery)
                .containsExactly("q");
        assertThat(driver.getKeyValueStore(SessionProcessor.STORE).get("r1")).isNull();
    }

    @Test
    void shouldCloseIdleWindowsByWallClock() {
        search("r1", "q", T0, "p1");
        interact("r1", "p1", 1, InteractionType.CLICK, T0.plusSeconds(10));
        driver.advanceWallClockTime(
                Duration.ofMinutes(36)); // no further traffic: stream time stands still
        assertThat(pairsOut.readValuesToList())
                .extracting(TrainingPair::getProductId)
                .containsExactly("p1");
    }

    @Test
    void shouldEmitAfterEnoughEvidenceAndThenOnlyWhenTheScoreMovesMoreThanEpsilon() {
        open(withMinObservations(PairSettings.defaults(), 2, false));
        Instant t = T0;
        search("r1", "q", t, "p1");
        interact("r1", "p1", 1, InteractionType.CLICK, t.plusSeconds(5));
        closeWindows(t);
        assertThat(latestByProduct()).doesNotContainKey("p1"); // 1 observation < 2

        t = t.plus(Duration.ofHours(1));
        search("r2", "q", t, "p1");
        interact("r2", "p1", 1, InteractionType.CLICK, t.plusSeconds(5));
        closeWindows(t);
        // (2 + 0.6) / (2 + 2) = 0.65
        assertThat(latestByProduct().get("p1").getScore())
                .isEqualTo(0.65, org.assertj.core.api.Assertions.within(1e-9));

        t = t.plus(Duration.ofHours(1));
        search("r3", "q", t, "p1");
        interact("r3", "p1", 1, InteractionType.CLICK, t.plusSeconds(5));
        closeWindows(t);
        // (3.6) / (5) = 0.72: moved 0.07 > 0.05, emitted
        assertThat(latestByProduct().get("p1").getScore())
                .isEqualTo(0.72, org.assertj.core.api.Assertions.within(1e-9));

        t = t.plus(Duration.ofHours(1));
        search("r4", "q", t, "p1");
        interact("r4", "p1", 1, InteractionType.CLICK, t.plusSeconds(5));
        closeWindows(t);
        // 4.6 / 6 = 0.7667: moved 0.047 <= 0.05, not emitted
        assertThat(latestByProduct()).doesNotContainKey("p1");
    }

    @Test
    void shouldWaitForCatalogItemsThenEmitWithTheirText() {
        search("r1", "q", T0, "new-product");
        interact("r1", "new-product", 1, InteractionType.CLICK, T0.plusSeconds(5));
        closeWindows(T0);
        assertThat(latestByProduct()).doesNotContainKey("new-product");

        catalogIn.pipeInput(
                "new-product",
                CatalogItem.newBuilder()
                        .setId("new-product")
                        .setTitle("Новый дымоход")
                        .setCategory(null)
                        .setAttributes(Map.of("диаметр", "115"))
                        .setUpdatedAt(T0)
                        .build(),
                T0);
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        TrainingPair pair = latestByProduct().get("new-product");
        assertThat(pair).isNotNull();
        assertThat(pair.getProductText()).isEqualTo("Новый дымоход");
    }

    @Test
    void shouldEmitAPairOnceAnEmitIntervalAtTheDefaultInterval() {
        open(settings.withEmitInterval(PairSettings.defaults().emitInterval()));
        for (int i = 0; i < 3; i++) {
            Instant at = T0.plusSeconds(60L * i);
            search("r" + i, "дымоход", at, "p1", "p2");
            interact("r" + i, "p1", 1, InteractionType.CLICK, at.plusSeconds(5));
        }
        closeWindows(T0.plusSeconds(120));
        assertThat(pairsOut.isEmpty()).as("the searches closed; their pairs wait").isTrue();

        driver.advanceWallClockTime(PairSettings.defaults().emitInterval());

        List<TrainingPair> out = pairsOut.readValuesToList();
        assertThat(out).extracting(TrainingPair::getProductId).containsExactly("p1");
        assertThat(out.get(0).getPositives()).isEqualTo(3.0);
    }

    @Test
    void shouldAddConfiguredAttributesToTheProductText() {
        PairSettings d = withMinObservations(PairSettings.defaults(), 1, false);
        open(
                new PairSettings(
                        d.window(),
                        d.grace(),
                        d.punctuateInterval(),
                        d.emitInterval(),
                        d.weights(),
                        d.propensity(),
                        d.scorer(),
                        List.of("диаметр", "материал"),
                        false,
                        0,
                        1,
                        d.limits()));
        catalogIn.pipeInput(
                "p9",
                CatalogItem.newBuilder()
                        .setId("p9")
                        .setTitle("Дымоход")
                        .setCategory("Дымоходы")
                        .setAttributes(
                                Map.of("материал", "нерж.", "диаметр", "115", "цвет", "серый"))
                        .setUpdatedAt(T0)
                        .build(),
                T0);
        search("r1", "q", T0, "p9");
        interact("r1", "p9", 1, InteractionType.CLICK, T0.plusSeconds(5));
        closeWindows(T0);
        assertThat(latestByProduct().get("p9").getProductText())
                .isEqualTo("Дымоход | Дымоходы | диаметр: 115 | материал: нерж.");
    }

    @Test
    void shouldEmitTypoVariantsOfStrongPairsDeterministically() {
        open(withMinObservations(PairSettings.defaults(), 1, true));
        search("r1", "дымоход сэндвич", T0, "p1", "p2");
        interact(
                "r1",
                "p2",
                2,
                InteractionType.PURCHASE,
                T0.plusSeconds(5)); // 4 × 2 = 8: (8.6)/(9+2) = 0.78
        closeWindows(T0);
        List<TrainingPair> first =
                pairsOut.readValuesToList().stream()
                        .filter(p -> p.getSource() == PairSource.AUGMENTED_TYPO)
                        .toList();
        assertThat(first)
                .hasSize(3)
                .allSatisfy(
                        p -> {
                            assertThat(p.getProductId()).isEqualTo("p2");
                            assertThat(p.getNormalizedQuery()).isNotEqualTo("дымоход сэндвич");
                            assertThat(p.getAugmentedFrom()).isEqualTo("дымоход сэндвич");
                        });
        assertThat(first)
                .extracting(TrainingPair::getNormalizedQuery)
                .contains("lsvj jl c yldbx"); // typed on QWERTY: х→[ and э→' turn into spaces when
        // normalized
        assertThat(metrics.emittedCount(PairSource.AUGMENTED_TYPO)).isEqualTo(3);

        open(withMinObservations(PairSettings.defaults(), 1, true));
        search("r1", "дымоход сэндвич", T0, "p1", "p2");
        interact("r1", "p2", 2, InteractionType.PURCHASE, T0.plusSeconds(5));
        closeWindows(T0);
        assertThat(
                        pairsOut.readValuesToList().stream()
                                .filter(p -> p.getSource() == PairSource.AUGMENTED_TYPO)
                                .toList())
                .isEqualTo(first);
    }

    @Test
    void shouldNeverLetAGeneratedVariantOverwriteAShopperPairWithTheSameText() {
        open(withMinObservations(PairSettings.defaults(), 1, true));
        // The augmenter turns "дымоход сэндвич" into "lsvj jl c yldbx" (wrong layout); a shopper
        // also typed exactly that and clicked p2.
        search("r1", "дымоход сэндвич", T0, "p1", "p2");
        interact("r1", "p2", 2, InteractionType.PURCHASE, T0.plusSeconds(5));
        search("r2", "lsvj jl c yldbx", T0.plusSeconds(1), "p3", "p2");
        interact("r2", "p2", 2, InteractionType.CLICK, T0.plusSeconds(6));
        closeWindows(T0.plusSeconds(1));
        List<TestRecord<String, TrainingPair>> records = pairsOut.readRecordsToList();
        assertThat(records)
                .allSatisfy(r -> assertThat(r.getKey()).isEqualTo(PairKey.of(r.getValue())));
        // What the compacted topic (and the trainer's table) keeps: the latest value per key.
        Map<String, TrainingPair> compacted =
                records.stream()
                        .collect(
                                Collectors.toMap(
                                        TestRecord::getKey, TestRecord::getValue, (a, b) -> b));
        TrainingPair observed = compacted.get(PairKey.of("lsvj jl c yldbx", "p2"));
        assertThat(observed.getSource()).isEqualTo(PairSource.INTERACTIONS);
        assertThat(observed.getPositives()).isPositive();
        TrainingPair variant =
                compacted.get(PairKey.ofVariant("lsvj jl c yldbx", "дымоход сэндвич", "p2"));
        assertThat(variant.getSource()).isEqualTo(PairSource.AUGMENTED_TYPO);
        assertThat(variant.getAugmentedFrom()).isEqualTo("дымоход сэндвич");
    }

    @Test
    void shouldRouteUndecodableRecordsToTheDeadLetterTopicAndCarryOn() {
        TestInputTopic<String, byte[]> rawSearches =
                driver.createInputTopic(
                        Topics.SEARCH_EVENTS, new StringSerializer(), new ByteArraySerializer());
        TestOutputTopic<String, byte[]> dlq =
                driver.createOutputTopic(
                        Topics.dlq(Topics.SEARCH_EVENTS),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        rawSearches.pipeInput("bad-1", garbage, T0);

        search("r1", "q", T0, "p1");
        interact("r1", "p1", 1, InteractionType.CLICK, T0.plusSeconds(5));
        closeWindows(T0);

        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(dead.getKey()).isEqualTo("bad-1");
        assertThat(dead.getValue()).isEqualTo(garbage);
        assertThat(header(dead, DeadLetters.ERROR_CLASS)).endsWith("UnknownMagicByteException");
        assertThat(header(dead, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.SEARCH_EVENTS);
        assertThat(header(dead, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(metrics.deadLetterCount()).isEqualTo(1);
        assertThat(latestByProduct()).containsKey("p1");
    }

    private static String header(TestRecord<String, byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldCreditOnlyShownProductsAtTheirLoggedPositionWhateverTheClientClaims() {
        interact(
                "r1",
                "p4",
                1,
                InteractionType.PURCHASE,
                T0.minusSeconds(1)); // read before its search, never shown
        search("r1", "q", T0, "p1", "p2", "p3");
        interact("r1", "p5", 1, InteractionType.PURCHASE, T0.plusSeconds(5)); // never shown
        interact("r1", "p2", 40, InteractionType.CLICK, T0.plusSeconds(6)); // shown at 2, claims 40
        closeWindows(T0);
        Map<String, TrainingPair> pairs = latestByProduct();
        assertThat(pairs).containsOnlyKeys("p1", "p2");
        assertThat(pairs.get("p2").getPositives()).as("click 1 × logged position 2").isEqualTo(2.0);
        assertThat(metrics.droppedCount(DropReason.NOT_SHOWN)).isEqualTo(2);
    }

    @Test
    void shouldIgnoreARequestFloodedPastItsCap() {
        search("r1", "q", T0, "p1", "p2");
        for (int i = 0; i < 60; i++) {
            interact(
                    "r1",
                    i % 2 == 0 ? "p1" : "p2",
                    1,
                    InteractionType.CLICK,
                    T0.plusSeconds(1 + i));
        }
        closeWindows(T0);
        assertThat(latestByProduct()).isEmpty();
        assertThat(metrics.droppedCount(DropReason.REQUEST_CAP)).isEqualTo(60);
        assertThat(((SearchState) driver.getKeyValueStore(SessionProcessor.STORE).get("r1")))
                .isNull();
    }

    @Test
    void shouldMuteASessionThatInteractsFasterThanAHuman() {
        sessionSearch("h1", "human", "q", T0, "p1", "p2");
        interact("h1", "p1", 1, InteractionType.CLICK, T0.plusSeconds(5));
        for (int i = 0; i < 40; i++) {
            sessionSearch("b" + i, "bot", "other", T0.plusSeconds(i), "p3", "p4");
            interact("b" + i, "p4", 2, InteractionType.CLICK, T0.plusSeconds(i).plusMillis(200));
        }
        search("tick", "tick", T0.plus(Duration.ofHours(2)), "p5");
        search("tock", "tock", T0.plus(Duration.ofHours(3)), "p5"); // past the session hold
        assertThat(pairsOut.readValuesToList())
                .extracting(TrainingPair::getNormalizedQuery)
                .containsOnly("q");
        assertThat(metrics.flaggedSessionCount(DropReason.SESSION_RATE)).isEqualTo(1);
        assertThat(metrics.droppedCount(DropReason.SESSION_RATE)).isEqualTo(40);
    }

    @Test
    void shouldMuteASessionThatBuysWithoutACart() {
        for (int i = 0; i < 3; i++) {
            Instant at = T0.plusSeconds(120L * i);
            sessionSearch("b" + i, "bot", "q" + i, at, "p1", "p2");
            interact("b" + i, "p1", 1, InteractionType.PURCHASE, at.plusSeconds(10));
        }
        sessionSearch("h", "human", "q", T0, "p1");
        interact("h", "p1", 1, InteractionType.ADD_TO_CART, T0.plusSeconds(10));
        interact("h", "p1", 1, InteractionType.PURCHASE, T0.plusSeconds(20));
        search("tick", "tick", T0.plus(Duration.ofHours(2)), "p5");
        search("tock", "tock", T0.plus(Duration.ofHours(3)), "p5"); // past the session hold
        assertThat(pairsOut.readValuesToList())
                .extracting(TrainingPair::getNormalizedQuery)
                .containsOnly("q");
        assertThat(metrics.flaggedSessionCount(DropReason.CARTLESS_PURCHASE)).isEqualTo(1);
    }

    @Test
    void shouldCountASearchThatComesAgainOnceTowardsItsSessionsCaps() {
        // Two searches with one cart-less purchase each: at the cap (2), not over it.
        for (int i = 0; i < 2; i++) {
            Instant at = T0.plusSeconds(120L * i);
            sessionSearch("r" + i, "human", "q" + i, at, "p1", "p2");
            interact("r" + i, "p1", 1, InteractionType.PURCHASE, at.plusSeconds(10));
        }
        closeWindows(T0); // both closed, and held for the session hold
        // r0 again, as at-least-once replays it after a crash: it closes a second time.
        sessionSearch("r0", "human", "q0", T0, "p1", "p2");
        interact("r0", "p1", 1, InteractionType.PURCHASE, T0.plusSeconds(10));
        search("tick2", "tick", T0.plus(Duration.ofMinutes(40)), "p5");
        assertThat(metrics.searchesClosedCount()).isEqualTo(3); // r0 twice, and r1
        search("tock", "tock", T0.plus(Duration.ofHours(3)), "p5"); // past the session hold

        assertThat(metrics.flaggedSessionCount(DropReason.CARTLESS_PURCHASE)).isZero();
        assertThat(metrics.searchesRepeatedCount()).isEqualTo(1);
        List<TrainingPair> emitted = pairsOut.readValuesToList();
        assertThat(emitted)
                .filteredOn(p -> p.getProductId().equals("p1"))
                .extracting(TrainingPair::getNormalizedQuery)
                .containsExactlyInAnyOrder("q0", "q1");
        TrainingPair first =
                emitted.stream().filter(p -> p.getNormalizedQuery().equals("q0")).findFirst().get();
        TrainingPair second =
                emitted.stream().filter(p -> p.getNormalizedQuery().equals("q1")).findFirst().get();
        assertThat(first.getPositives()).isEqualTo(second.getPositives()); // r0 counted once
        assertThat(first.getImpressions()).isEqualTo(1.0);
    }

    @Test
    void shouldRecognizeASearchThatComesAgainAfterItsSessionHeldNothingForTheSessionHold() {
        sessionSearch("r0", "human", "q0", T0, "p1", "p2");
        interact("r0", "p1", 1, InteractionType.PURCHASE, T0.plusSeconds(10));
        interact("r0", "p2", 2, InteractionType.PURCHASE, T0.plusSeconds(20)); // at the cap (2)
        closeWindows(T0); // r0 closes (36 min), held until 46 min
        search("tick2", "tick", T0.plus(Duration.ofMinutes(47)), "p5"); // r0 released
        assertThat(driver.getKeyValueStore(SessionGuard.STORE).get("session:human"))
                .as("the session holds nothing but remembers r0")
                .isNotNull();
        // The session's next search, with one cart-less purchase, and r0 again (a replay).
        Instant next = T0.plus(Duration.ofMinutes(50));
        sessionSearch("r1", "human", "q1", next, "p1", "p2");
        interact("r1", "p1", 1, InteractionType.PURCHASE, next.plusSeconds(10));
        sessionSearch("r0", "human", "q0", T0, "p1", "p2");
        interact("r0", "p1", 1, InteractionType.PURCHASE, T0.plusSeconds(10));
        interact("r0", "p2", 2, InteractionType.PURCHASE, T0.plusSeconds(20));
        search("tick3", "tick", T0.plus(Duration.ofMinutes(90)), "p5");
        search("tock", "tock", T0.plus(Duration.ofHours(3)), "p5"); // past the session hold

        assertThat(metrics.flaggedSessionCount(DropReason.CARTLESS_PURCHASE)).isZero();
        assertThat(metrics.searchesRepeatedCount()).isEqualTo(1);
        assertThat(latestByProduct()).containsOnlyKeys("p1", "p2");
        // Remembered for the session hold of wall clock after its last release, then forgotten.
        driver.advanceWallClockTime(Duration.ofMinutes(11));
        assertThat(driver.getKeyValueStore(SessionGuard.STORE).get("session:human")).isNull();
    }

    @Test
    void shouldHoldASessionsSearchesByTheTimeTheyClosedNotByHowFarTheGuardHasRead() {
        // As after a crash under at-least-once: the guard has read ahead (a search closed at 3 h),
        // then the searches since the last commit close again, with their own, earlier times.
        TestInputTopic<String, ClosedSearch> closed =
                driver.createInputTopic(
                        "pair-builder-test-closed-searches-repartition",
                        new StringSerializer(),
                        StateSerdes.closedSearch().serializer());
        Instant ahead = T0.plus(Duration.ofHours(3));
        closed.pipeInput("request:x", closedWithPurchases("request:x", "x", ahead, 0), ahead);
        for (int i = 0; i < 3; i++) {
            // One search every 12.5 minutes, each with the cap's two cart-less purchases; each
            // is released before the next closes.
            Instant at = T0.plusSeconds(750L * i);
            Instant closedAt = at.plus(Duration.ofMinutes(36));
            closed.pipeInput(
                    "session:human",
                    closedWithPurchases("session:human", "r" + i, at, 2),
                    closedAt);
        }
        assertThat(metrics.flaggedSessionCount(DropReason.CARTLESS_PURCHASE)).isZero();
    }

    @Test
    void shouldTreatARequestIdReusedForOtherInteractionsAsANewSearch() {
        TestInputTopic<String, ClosedSearch> closed =
                driver.createInputTopic(
                        "pair-builder-test-closed-searches-repartition",
                        new StringSerializer(),
                        StateSerdes.closedSearch().serializer());
        Instant closedAt = T0.plus(Duration.ofMinutes(36));
        ClosedSearch twoPurchases = closedWithPurchases("session:s", "r0", T0, 2);
        closed.pipeInput("session:s", twoPurchases, closedAt);
        closed.pipeInput("session:s", twoPurchases, closedAt); // the same search: a repeat
        assertThat(metrics.searchesRepeatedCount()).isEqualTo(1);
        assertThat(metrics.flaggedSessionCount(DropReason.CARTLESS_PURCHASE)).isZero();
        // The same request id with another purchase: counted, and over the cap.
        closed.pipeInput("session:s", closedWithPurchases("session:s", "r0", T0, 1), closedAt);
        assertThat(metrics.searchesRepeatedCount()).isEqualTo(1);
        assertThat(metrics.flaggedSessionCount(DropReason.CARTLESS_PURCHASE)).isEqualTo(1);
    }

    private static ClosedSearch closedWithPurchases(
            String actor, String requestId, Instant at, int purchases) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < purchases; i++) {
            times.add(at.plusSeconds(10L + i).toEpochMilli());
        }
        return new ClosedSearch(
                actor,
                requestId,
                at.toEpochMilli(),
                List.of(
                        new io.searchloop.pairs.scoring.Evidence(
                                "q", "q", "p1", 1.0, 0.0, at.toEpochMilli())),
                times,
                purchases);
    }

    @Test
    void shouldHoldASearchThatComesAgainAfterItsReleaseAgainWithoutCountingItTowardsTheCaps() {
        for (int i = 0; i < 2; i++) {
            Instant at = T0.plusSeconds(120L * i);
            sessionSearch("r" + i, "human", "q" + i, at, "p1", "p2");
            interact("r" + i, "p1", 1, InteractionType.PURCHASE, at.plusSeconds(10));
        }
        closeWindows(T0); // r0 closes (36 min), held until 46 min
        search("tick2", "tick", T0.plus(Duration.ofMinutes(41)), "p5"); // r1: held until 51
        search("tick3", "tick", T0.plus(Duration.ofMinutes(47)), "p5"); // r0 released
        assertThat(pairsOut.readValuesToList())
                .extracting(TrainingPair::getNormalizedQuery)
                .containsExactly("q0");
        // r0 again: its evidence may not have reached its topic before a crash, so it counts as
        // evidence again (at-least-once allows that), but not towards the cart-less purchases.
        sessionSearch("r0", "human", "q0", T0, "p1", "p2");
        interact("r0", "p1", 1, InteractionType.PURCHASE, T0.plusSeconds(10));
        search("tick4", "tick", T0.plus(Duration.ofMinutes(49)), "p5");
        search("tock", "tock", T0.plus(Duration.ofHours(3)), "p5"); // past the session hold

        assertThat(metrics.flaggedSessionCount(DropReason.CARTLESS_PURCHASE)).isZero();
        assertThat(metrics.searchesRepeatedCount()).isEqualTo(1);
        Map<String, TrainingPair> latest =
                pairsOut.readValuesToList().stream()
                        .filter(p -> p.getProductId().equals("p1"))
                        .collect(
                                Collectors.toMap(
                                        TrainingPair::getNormalizedQuery, p -> p, (a, b) -> b));
        assertThat(latest).containsOnlyKeys("q0", "q1");
        assertThat(latest.get("q0").getImpressions()).isEqualTo(2.0);
        assertThat(latest.get("q1").getImpressions()).isEqualTo(1.0);
    }

    @Test
    void shouldDropAPairPushedFromManySessionsInABurst() {
        open(settings.withLimits(withBurst(settings.limits(), Duration.ofMinutes(1), 5)));
        for (int i = 0; i < 8; i++) {
            sessionSearch("f" + i, "fresh-" + i, "push", T0.plusSeconds(i), "p1", "p2");
            interact("f" + i, "p1", 1, InteractionType.CLICK, T0.plusSeconds(i + 1));
        }
        for (int i = 0; i < 3; i++) {
            sessionSearch("h" + i, "human-" + i, "calm", T0.plusSeconds(i), "p1", "p2");
            interact("h" + i, "p1", 1, InteractionType.CLICK, T0.plusSeconds(i + 1));
        }
        search("tick", "tick", T0.plus(Duration.ofHours(2)), "p5");
        search("tock", "tock", T0.plus(Duration.ofHours(3)), "p5");
        search("tack", "tack", T0.plus(Duration.ofHours(4)), "p5");
        assertThat(pairsOut.readValuesToList())
                .extracting(TrainingPair::getNormalizedQuery)
                .containsOnly("calm");
        assertThat(metrics.droppedCount(DropReason.PRODUCT_BURST)).isEqualTo(8);
    }

    /**
     * Writes bytes into a store's RocksDB under its cache and changelog, as a store restored from
     * an older version or a corrupted one would hold them.
     */
    private void putStoredBytes(String storeName, String key, byte[] value) {
        StateStore store = driver.getKeyValueStore(storeName);
        while (store instanceof WrappedStateStore<?, ?, ?> wrapper) {
            store = wrapper.wrapped();
        }
        @SuppressWarnings("unchecked")
        KeyValueStore<Bytes, byte[]> bytes = (KeyValueStore<Bytes, byte[]>) store;
        bytes.put(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)), value);
    }

    @Test
    void shouldKeepSearchesAndUnderExactlyOnceThePairStatisticsBehindTheRecordCache() {
        // A search is written on arrival, per interaction and deleted on close, mostly within one
        // commit; a pair is read and written once per evidence record. Cached, reads of a recent
        // key skip RocksDB and only the last write per key and commit reaches the changelog. The
        // other stores are written rarely.
        assertThat(cached(SessionProcessor.STORE)).isTrue();
        assertThat(cached(PairAggregator.STATS_STORE)).isTrue();
        assertThat(cached(PairAggregator.EXPIRY_STORE)).isFalse();
        assertThat(cached(PairAggregator.PENDING_STORE)).isFalse();
        assertThat(cached(SessionGuard.STORE)).isFalse();

        // Under at-least-once a cached statistics write could be lost in a crash while the
        // uncached deletion of the held evidence it applies, or a pair's expiry entry, survives.
        open(settings, false);
        assertThat(cached(SessionProcessor.STORE)).isTrue();
        assertThat(cached(PairAggregator.STATS_STORE)).isFalse();
    }

    private boolean cached(String storeName) {
        StateStore store = driver.getKeyValueStore(storeName);
        // Every wrapper implements CachedStateStore; the caching layer is told by its class.
        while (store instanceof WrappedStateStore<?, ?, ?> wrapper) {
            if (store.getClass().getSimpleName().equals("CachingKeyValueStore")) {
                return true;
            }
            store = wrapper.wrapped();
        }
        return false;
    }

    @Test
    void shouldCarryOnFromSearchStateThatThePreviousVersionStoredAsJson() throws Exception {
        search("r1", "q", T0, "p1", "p2", "p3");
        interact("r1", "p2", 2, InteractionType.CLICK, T0.plusSeconds(30));
        closeWindows(T0);
        List<TrainingPair> fresh = pairsOut.readValuesToList();
        assertThat(fresh).isNotEmpty();

        open(settings);
        long t0 = T0.toEpochMilli();
        SearchState beforeUpgrade =
                new SearchState("q", null, List.of("p1", "p2", "p3"), t0, List.of(), false, t0, t0);
        putStoredBytes(
                SessionProcessor.STORE, "r1", new ObjectMapper().writeValueAsBytes(beforeUpgrade));
        interact("r1", "p2", 2, InteractionType.CLICK, T0.plusSeconds(30));
        closeWindows(T0);
        assertThat(pairsOut.readValuesToList()).isEqualTo(fresh);
        assertThat(metrics.unreadableStateCount()).isZero();
    }

    @Test
    void shouldTreatAnUnreadableStateEntryAsAbsentCountItAndCarryOn() {
        putStoredBytes(SessionProcessor.STORE, "r1", new byte[] {7, 7, 7});
        putStoredBytes(
                PairAggregator.STATS_STORE,
                PairKey.of("q", "p2"),
                "{not json".getBytes(StandardCharsets.UTF_8));
        search("r1", "q", T0, "p1", "p2", "p3");
        interact("r1", "p2", 2, InteractionType.CLICK, T0.plusSeconds(30));
        closeWindows(T0);
        assertThat(latestByProduct()).containsKeys("p1", "p2");
        assertThat(metrics.unreadableStateCount()).isEqualTo(2);
    }

    @Test
    void shouldDeadLetterASearchWhoseStateWouldNotFitAStore() {
        TestOutputTopic<String, byte[]> dlq =
                driver.createOutputTopic(
                        Topics.dlq(Topics.SEARCH_EVENTS),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
        String[] huge = new String[20_000];
        for (int i = 0; i < huge.length; i++) {
            huge[i] = "product-with-a-long-id-" + i;
        }
        search("big", "q", T0, huge);
        search("r1", "q", T0, "p1");
        interact("r1", "p1", 1, InteractionType.CLICK, T0.plusSeconds(5));
        closeWindows(T0);
        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertThat(dead.getKey()).isEqualTo("big");
        assertThat(header(dead, DeadLetters.ERROR)).contains("more than the 524288");
        assertThat(latestByProduct()).containsKey("p1");
    }

    /** The test limits with pair statistics kept for a day of stream time. */
    private static EvidenceLimits pairsKeptForADay() {
        return EvidenceLimits.defaults()
                .withBurstWindow(Duration.ZERO)
                .withPairRetention(Duration.ofDays(1));
    }

    @Test
    void shouldForgetPairStatisticsAfterTheirRetention() {
        open(settings.withLimits(pairsKeptForADay()));
        search("r1", "q", T0, "p1");
        interact("r1", "p1", 1, InteractionType.CLICK, T0.plusSeconds(5));
        closeWindows(T0);
        assertThat(driver.getKeyValueStore(PairAggregator.STATS_STORE).get(PairKey.of("q", "p1")))
                .isNotNull();
        search("r2", "q2", T0.plus(Duration.ofDays(2)), "p2");
        interact("r2", "p2", 1, InteractionType.CLICK, T0.plus(Duration.ofDays(2)).plusSeconds(5));
        closeWindows(T0.plus(Duration.ofDays(2)));
        assertThat(driver.getKeyValueStore(PairAggregator.STATS_STORE).get(PairKey.of("q", "p1")))
                .isNull();
        assertThat(driver.getKeyValueStore(PairAggregator.STATS_STORE).get(PairKey.of("q2", "p2")))
                .isNotNull();
        assertThat(metrics.expiredCount()).isEqualTo(1);
    }

    @Test
    void shouldForgetAPairARetentionAfterItsLastEvidenceWithoutRewritingItsExpiryEntryPerUpdate() {
        open(settings.withLimits(pairsKeptForADay()));
        TestOutputTopic<String, String> expiryChangelog =
                driver.createOutputTopic(
                        "pair-builder-test-" + PairAggregator.EXPIRY_STORE + "-changelog",
                        new StringDeserializer(),
                        new StringDeserializer());
        String pair = PairKey.of("q", "p1");
        Instant last = T0.plus(Duration.ofHours(5));
        for (int hour = 0; hour <= 5; hour++) {
            Instant at = T0.plus(Duration.ofHours(hour));
            search("r" + hour, "q", at, "p1");
            interact("r" + hour, "p1", 1, InteractionType.CLICK, at.plusSeconds(5));
        }
        closeWindows(last);
        var stats = driver.<String, Object>getKeyValueStore(PairAggregator.STATS_STORE);
        assertThat(stats.get(pair)).isNotNull();
        assertThat(
                        expiryChangelog.readRecordsToList().stream()
                                .filter(r -> r.getKey().endsWith("|" + pair))
                                .count())
                .as("one index write for six updates of the pair (it was two per update)")
                .isEqualTo(1);

        search("tick-1", "tick", last.plus(Duration.ofDays(1)).minus(Duration.ofMinutes(1)), "p5");
        assertThat(stats.get(pair)).as("a day after its first evidence, not its last").isNotNull();
        search("tick-2", "tick", last.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(1)), "p5");
        assertThat(stats.get(pair)).isNull();
        assertThat(metrics.expiredCount()).isEqualTo(1);
    }

    @Test
    void shouldRetryWaitingPairsInBoundedBatchesRoundRobin() {
        open(
                settings.withLimits(
                        new EvidenceLimits(
                                50,
                                512 * 1024,
                                Duration.ofMinutes(10),
                                100,
                                30,
                                2,
                                Duration.ofHours(1),
                                Duration.ZERO,
                                50,
                                Duration.ofDays(90),
                                Duration.ofDays(1),
                                1)));
        for (String p : List.of("n1", "n2", "n3")) {
            search("r-" + p, "q", T0, p);
            interact("r-" + p, p, 1, InteractionType.CLICK, T0.plusSeconds(5));
        }
        closeWindows(T0);
        assertThat(latestByProduct()).isEmpty();
        for (String p : List.of("n1", "n2", "n3")) {
            catalogIn.pipeInput(
                    p,
                    CatalogItem.newBuilder()
                            .setId(p)
                            .setTitle("Новый " + p)
                            .setUpdatedAt(T0)
                            .build(),
                    T0);
        }
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        assertThat(latestByProduct()).as("one waiting pair per punctuation").hasSize(1);
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        driver.advanceWallClockTime(Duration.ofSeconds(11));
        assertThat(latestByProduct()).as("the rest in the next rounds").hasSize(2);
        try (var left = driver.getKeyValueStore(PairAggregator.AWAITING_STORE).all()) {
            assertThat(left.hasNext()).isFalse();
        }
    }
}
