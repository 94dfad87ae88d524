package io.searchloop.embedder.catalog;

import io.searchloop.embedder.index.IndexBuilder;
import io.searchloop.embedder.index.IndexInfo;
import io.searchloop.embedder.index.IndexRepository;
import io.searchloop.embedder.index.IndexRequest;
import io.searchloop.embedder.index.ModelCache;
import io.searchloop.embedder.index.TextHash;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.ModelStatus;
import io.searchloop.events.ModelVersion;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.keys.ProductText;
import io.searchloop.schemas.topics.DeadLetters;
import io.searchloop.schemas.topics.Rewind;
import io.searchloop.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code catalog} and {@code model-versions}. Catalog changes go into
 * {@code catalog_items} and, embedded with each live version's model, into the active index and
 * any index being built (an unchanged text is not embedded again); tombstones delete. A PROMOTED
 * version becomes the index request the builder acts on. Unreadable records, and items without
 * a title, go to {@code <topic>.dlq} with the reason; offsets are committed after the database.
 */
public final class CatalogIngestor implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogIngestor.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final DatabaseUrl database;
    private final CatalogRepository catalog;
    private final IndexRepository indexes;
    private final ModelCache models;
    private final String modelName;
    private final List<String> attributes;
    private final String catalogTopic;
    private final String versionsTopic;
    private final Deserializer<CatalogItem> items;
    private final Deserializer<ModelVersion> versions;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public CatalogIngestor(String bootstrapServers, String groupId, Topics topics, DatabaseUrl database, CatalogRepository catalog,
                           IndexRepository indexes, ModelCache models, String modelName, List<String> attributes) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
        this.database = database;
        this.catalog = catalog;
        this.indexes = indexes;
        this.models = models;
        this.modelName = modelName;
        this.attributes = attributes;
        this.catalogTopic = topics.catalog().name();
        this.versionsTopic = topics.modelVersions().name();
        this.items = topics.catalog().valueSerde().deserializer();
        this.versions = topics.modelVersions().valueSerde().deserializer();
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(catalogTopic, versionsTopic));
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    apply(records);
                    deadLetters.flush();
                    consumer.commitSync();
                } catch (java.sql.SQLException e) {
                    LOG.warn("cannot apply {} records to the database ({}); reading them again in 2 s", records.count(), e.getMessage());
                    Rewind.toCommitted(consumer);
                    Thread.sleep(2000);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (Exception e) {
            LOG.error("embedder ingestion stopped", e);
        } finally {
            consumer.close();
            deadLetters.close();
        }
    }

    private void apply(ConsumerRecords<byte[], byte[]> records) throws Exception {
        Map<String, CatalogItem> upserts = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, Instant> deletions = new LinkedHashMap<>();
        List<IndexRequest> requests = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                if (r.topic().equals(catalogTopic)) {
                    String id = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    CatalogItem item = items.deserialize(r.topic(), r.value());
                    if (item == null) {
                        if (id == null) {
                            throw new IllegalArgumentException("catalog tombstone without a key");
                        }
                        deletions.put(id, Instant.ofEpochMilli(r.timestamp()));
                        upserts.remove(id);
                    } else {
                        if (item.getTitle() == null || item.getTitle().isBlank()) {
                            throw new IllegalArgumentException("catalog item " + item.getId() + " has no title");
                        }
                        upserts.put(item.getId(), item);
                        texts.put(item.getId(), ProductText.of(item, attributes));
                        deletions.remove(item.getId());
                    }
                } else if (r.topic().equals(versionsTopic)) {
                    ModelVersion v = versions.deserialize(r.topic(), r.value());
                    if (v != null && v.getModelName().equals(modelName) && v.getStatus() == ModelStatus.PROMOTED) {
                        requests.add(new IndexRequest(v.getModelName(), v.getVersion(), v.getArtifactUri(), v.getSha256()));
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("record {}-{}@{} rejected, sent to {}: {}", r.topic(), r.partition(), r.offset(), Topics.dlq(r.topic()), e.getMessage());
                deadLetters.send(new ProducerRecord<>(Topics.dlq(r.topic()), null, r.key(), r.value(),
                        DeadLetters.headers(r.headers(), e, r.topic(), r.partition(), r.offset())));
            }
        }
        try (Connection c = database.connect()) {
            if (!upserts.isEmpty() || !deletions.isEmpty()) {
                List<String> deleted = new ArrayList<>();
                c.setAutoCommit(false);
                Map<String, String> changed = catalog.apply(c, upserts, texts, deletions, deleted);
                c.commit();
                c.setAutoCommit(true);
                embedIntoLiveIndexes(c, changed, deleted);
            }
            for (IndexRequest request : requests) {
                indexes.request(c, request);
                LOG.info("{} {} promoted: index requested", request.modelName(), request.modelVersion());
            }
        }
    }

    /** Writes the changes into the active index and every index being built. */
    private void embedIntoLiveIndexes(Connection c, Map<String, String> changed, List<String> deleted) throws Exception {
        List<IndexInfo> live = new ArrayList<>();
        indexes.active(c, modelName).ifPresent(live::add);
        for (IndexInfo i : indexes.indexes(c, modelName)) {
            if (!i.ready() && live.stream().noneMatch(l -> l.tableName().equals(i.tableName()))) {
                live.add(i);
            }
        }
        for (IndexInfo index : live) {
            try {
                if (!deleted.isEmpty()) {
                    indexes.deleteRows(c, index.tableName(), deleted);
                }
                if (!changed.isEmpty()) {
                    Map<String, String> hashes = indexes.hashes(c, index.tableName(), changed.keySet());
                    Map<String, String> toEmbed = new LinkedHashMap<>();
                    changed.forEach((id, text) -> {
                        if (!TextHash.of(text).equals(hashes.get(id))) {
                            toEmbed.put(id, text);
                        }
                    });
                    if (!toEmbed.isEmpty()) {
                        SentenceEncoder model = models.get(index.modelVersion(), index.artifactUri(), index.sha256());
                        indexes.upsertRows(c, index.tableName(), IndexBuilder.embedRows(model, toEmbed));
                    }
                }
            } catch (SQLException e) {
                // A table being created this instant: the build's reconciliation picks these changes up.
                LOG.debug("index {} not writable yet: {}", index.tableName(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
