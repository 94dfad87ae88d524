package io.searchloop.schemas.topics;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.IndexActivated;
import io.searchloop.events.Interaction;
import io.searchloop.events.ModelVersion;
import io.searchloop.events.RetrainRequested;
import io.searchloop.events.RollbackRequested;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.registry.SchemaRegistry;
import io.searchloop.schemas.serde.AvroSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place that names searchloop's topics, their layout on the cluster and their types. Keys
 * are UTF-8 strings; values are Avro in the Confluent wire format. Every input topic of a service
 * has a {@code <topic>.dlq} twin for records that could not be processed.
 */
public final class Topics {
    public static final String SEARCH_EVENTS = "search-events";
    public static final String INTERACTIONS = "interactions";
    public static final String CATALOG = "catalog";
    public static final String TRAINING_PAIRS = "training-pairs";
    public static final String MODEL_VERSIONS = "model-versions";
    public static final String INDEX_EVENTS = "index-events";
    public static final String RETRAIN_REQUESTS = "retrain-requests";
    public static final String ROLLBACK_REQUESTS = "rollback-requests";
    public static final String DLQ_SUFFIX = ".dlq";

    private static final Map<String, String> COMPACT = Map.of("cleanup.policy", "compact");
    private static final Map<String, String> DELETE_7D =
            Map.of("cleanup.policy", "delete", "retention.ms", "604800000");
    private static final Map<String, String> DELETE_30D =
            Map.of("cleanup.policy", "delete", "retention.ms", "2592000000");

    private final SchemaRegistry registry;
    private final boolean autoRegister;
    private final String prefix;

    private Topics(SchemaRegistry registry, boolean autoRegister, String prefix) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.prefix = prefix;
    }

    /**
     * Topics whose serializers register a schema the registry does not have yet (what a producer of
     * its own events does).
     */
    public static Topics autoRegistering(SchemaRegistry registry) {
        return new Topics(registry, true, "");
    }

    /**
     * Like {@link #autoRegistering(SchemaRegistry)}, with names that all start with {@code prefix}
     * (several searchloop installations, or tests, on one cluster).
     */
    public static Topics autoRegistering(SchemaRegistry registry, String prefix) {
        return new Topics(registry, true, prefix);
    }

    /**
     * Topics whose serializers only look schemas up: one the registry does not have is an error,
     * never registered.
     */
    public static Topics lookingUp(SchemaRegistry registry) {
        return new Topics(registry, false, "");
    }

    /** Like {@link #lookingUp(SchemaRegistry)}, with prefixed names. */
    public static Topics lookingUp(SchemaRegistry registry, String prefix) {
        return new Topics(registry, false, prefix);
    }

    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /**
     * Every topic with its config. Event topics get {@code partitions}; the low-volume model and
     * index topics get one partition so their order is total.
     */
    public static List<TopicSpec> specs(int partitions, short replicationFactor) {
        List<TopicSpec> specs =
                new ArrayList<>(
                        List.of(
                                new TopicSpec(
                                        SEARCH_EVENTS, partitions, replicationFactor, DELETE_30D),
                                new TopicSpec(
                                        INTERACTIONS, partitions, replicationFactor, DELETE_30D),
                                new TopicSpec(CATALOG, partitions, replicationFactor, COMPACT),
                                new TopicSpec(
                                        TRAINING_PAIRS, partitions, replicationFactor, COMPACT),
                                new TopicSpec(MODEL_VERSIONS, 1, replicationFactor, COMPACT),
                                new TopicSpec(INDEX_EVENTS, 1, replicationFactor, DELETE_30D),
                                new TopicSpec(RETRAIN_REQUESTS, 1, replicationFactor, DELETE_7D),
                                new TopicSpec(ROLLBACK_REQUESTS, 1, replicationFactor, DELETE_7D)));
        for (String input :
                List.of(SEARCH_EVENTS, INTERACTIONS, CATALOG, TRAINING_PAIRS, MODEL_VERSIONS)) {
            specs.add(new TopicSpec(dlq(input), 1, replicationFactor, DELETE_30D));
        }
        return List.copyOf(specs);
    }

    /**
     * {@link #specs(int, short)} with every name prefixed, for a {@code Topics} built with that
     * prefix.
     */
    public static List<TopicSpec> specs(int partitions, short replicationFactor, String prefix) {
        return specs(partitions, replicationFactor).stream()
                .map(
                        s ->
                                new TopicSpec(
                                        prefix + s.name(),
                                        s.partitions(),
                                        s.replicationFactor(),
                                        s.configs()))
                .toList();
    }

    public Topic<String, SearchPerformed> searchEvents() {
        return topic(prefix + SEARCH_EVENTS, SearchPerformed.class);
    }

    public Topic<String, Interaction> interactions() {
        return topic(prefix + INTERACTIONS, Interaction.class);
    }

    public Topic<String, CatalogItem> catalog() {
        return topic(prefix + CATALOG, CatalogItem.class);
    }

    public Topic<String, TrainingPair> trainingPairs() {
        return topic(prefix + TRAINING_PAIRS, TrainingPair.class);
    }

    public Topic<String, ModelVersion> modelVersions() {
        return topic(prefix + MODEL_VERSIONS, ModelVersion.class);
    }

    public Topic<String, IndexActivated> indexEvents() {
        return topic(prefix + INDEX_EVENTS, IndexActivated.class);
    }

    public Topic<String, RetrainRequested> retrainRequests() {
        return topic(prefix + RETRAIN_REQUESTS, RetrainRequested.class);
    }

    public Topic<String, RollbackRequested> rollbackRequests() {
        return topic(prefix + ROLLBACK_REQUESTS, RollbackRequested.class);
    }

    /** The same event type under another name: tests isolate themselves by unique topic names. */
    public <V extends SpecificRecord> Topic<String, V> topic(String name, Class<V> type) {
        return new Topic<>(name, Serdes.String(), new AvroSerde<>(registry, type, autoRegister));
    }
}
