package io.searchloop.pairs;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.SearchResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/**
 * A deterministic stream of shop traffic for end-to-end runs of the topology: a catalog, then
 * searches every 15 s of event time with position-biased clicks, carts and purchases shortly after,
 * some of them arriving before their search; ends with a search hours later that closes every
 * window. Brokers refuse timestamps more than an hour ahead, so {@code t0} should lie hours in the
 * past.
 */
final class ScriptedTraffic {
    /**
     * One record to produce: which input (search, interaction or catalog), key, value, timestamp.
     */
    record Event(String topic, String key, SpecificRecord value, long timestamp) {}

    private static final String[] QUERIES = {
        "дымоход",
        "Дымоход сэндвич 115/200",
        "шуруповерт 18В",
        "дрель ударная",
        "утеплитель",
        "металлочерепица",
        "саморез кровельный",
        "краска фасадная",
        "пена монтажная",
        "кран шаровой 1/2\"",
        "труба ППР 20",
        "гипсокартон",
        "ламинат дуб",
        "кабель ВВГ",
        "перфоратор",
        "лестница",
        "герметик",
        "грунтовка",
        "плитка 30х30",
        "смеситель"
    };

    static List<Event> generate(
            Instant t0,
            int searches,
            String searchTopic,
            String interactionTopic,
            String catalogTopic) {
        final Instant T0 = t0;
        Random random = new Random(2026);
        List<Event> events = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            events.add(
                    new Event(
                            catalogTopic,
                            "p" + p,
                            CatalogItem.newBuilder()
                                    .setId("p" + p)
                                    .setTitle("Товар " + p + " " + QUERIES[p % QUERIES.length])
                                    .setCategory("Категория " + (p % 7))
                                    .setUpdatedAt(T0)
                                    .build(),
                            T0.toEpochMilli()));
        }
        List<Event> traffic = new ArrayList<>();
        for (int i = 0; i < searches; i++) {
            String requestId = "req-" + i;
            Instant at = T0.plusSeconds(15L * i);
            int intent = random.nextInt(QUERIES.length);
            List<SearchResult> results = new ArrayList<>();
            for (int pos = 1; pos <= 5; pos++) {
                results.add(
                        SearchResult.newBuilder()
                                .setProductId(
                                        "p" + ((intent * 2 + pos * 3 + random.nextInt(4)) % 40))
                                .setPosition(pos)
                                .build());
            }
            results = dedupe(results);
            traffic.add(
                    new Event(
                            searchTopic,
                            requestId,
                            SearchPerformed.newBuilder()
                                    .setRequestId(requestId)
                                    .setSessionId("s" + (i % 50))
                                    .setQuery(QUERIES[intent])
                                    .setResults(results)
                                    .setTimestamp(at)
                                    .build(),
                            at.toEpochMilli()));
            for (SearchResult r : results) {
                double examine = 1.0 / r.getPosition();
                if (random.nextDouble() < examine * 0.6) {
                    InteractionType type =
                            random.nextDouble() < 0.8
                                    ? InteractionType.CLICK
                                    : random.nextBoolean()
                                            ? InteractionType.ADD_TO_CART
                                            : InteractionType.PURCHASE;
                    // A few interactions carry a timestamp before their search (clock skew): they
                    // are read first.
                    Instant when =
                            random.nextInt(20) == 0
                                    ? at.minusSeconds(2)
                                    : at.plusSeconds(5 + random.nextInt(120));
                    traffic.add(
                            new Event(
                                    interactionTopic,
                                    requestId,
                                    Interaction.newBuilder()
                                            .setType(type)
                                            .setRequestId(requestId)
                                            .setSessionId("s" + (i % 50))
                                            .setProductId(r.getProductId())
                                            .setPosition(r.getPosition())
                                            .setTimestamp(when)
                                            .build(),
                                    when.toEpochMilli()));
                }
            }
        }
        Instant end = T0.plusSeconds(15L * searches).plus(Duration.ofHours(2));
        traffic.add(
                new Event(
                        searchTopic,
                        "tick",
                        SearchPerformed.newBuilder()
                                .setRequestId("tick")
                                .setQuery("tick")
                                .setResults(List.of())
                                .setTimestamp(end)
                                .build(),
                        end.toEpochMilli()));
        traffic.sort(Comparator.comparingLong(Event::timestamp));
        events.addAll(traffic);
        return events;
    }

    private static List<SearchResult> dedupe(List<SearchResult> results) {
        List<SearchResult> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (SearchResult r : results) {
            if (!seen.contains(r.getProductId())) {
                seen.add(r.getProductId());
                out.add(
                        SearchResult.newBuilder()
                                .setProductId(r.getProductId())
                                .setPosition(out.size() + 1)
                                .build());
            }
        }
        return out;
    }
}
