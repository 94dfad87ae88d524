package io.searchloop.pairs.topology;

import io.searchloop.pairs.scoring.PairStats;
import io.searchloop.testkit.TopicContents;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A pair-builder's committed pair statistics, read from its state store's changelog: what it has
 * counted for each pair, whatever it emitted. For tests that compare two runs.
 */
public final class StatsChangelog {
    /** What a pair's evidence adds up to; none of it depends on the order evidence arrived in. */
    public record Counts(long observations, double positives, double skips, long updatedAt) {}

    private StatsChangelog() {}

    /** The latest committed statistics per pair key of application {@code applicationId}. */
    public static Map<String, Counts> read(String applicationId) {
        String topic = applicationId + "-" + PairAggregator.STATS_STORE + "-changelog";
        Map<String, Counts> latest = new HashMap<>();
        var serde = StateSerdes.pairStats().deserializer();
        TopicContents.forEach(
                topic,
                true,
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                r -> {
                    if (r.value() == null) {
                        latest.remove(r.key());
                        return;
                    }
                    PairStats s = serde.deserialize(topic, r.value());
                    latest.put(
                            r.key(),
                            new Counts(s.observations(), s.positives(), s.skips(), s.updatedAt()));
                });
        return latest;
    }
}
