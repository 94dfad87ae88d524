package io.searchloop.trainer.ingest;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.RetrainRequested;
import io.searchloop.events.RollbackRequested;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.keys.ProductText;
import io.searchloop.schemas.topics.DeadLetters;
import io.searchloop.schemas.topics.Rewind;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.trainer.store.TrainerStore;
import java.time.Duration;
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
 * Copies {@code training-pairs}, {@code catalog} and {@code retrain-requests} into the trainer's
 * tables, and carries out {@code rollback-requests}. Offsets are committed only after the database writes of the whole poll, and the writes
 * are idempotent, so a crash replays at most one poll harmlessly. A record that cannot be
 * decoded goes to its {@code <topic>.dlq} with error headers and is skipped.
 */
public final class TrainerIngestor implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerIngestor.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final TrainerStore store;
    private final String modelName;
    private final List<String> attributes;
    private final String pairsTopic;
    private final String catalogTopic;
    private final String retrainTopic;
    private final Deserializer<TrainingPair> pairs;
    private final Deserializer<CatalogItem> catalog;
    private final Deserializer<RetrainRequested> retrains;
    private final String rollbackTopic;
    private final Deserializer<RollbackRequested> rollbacks;
    private final RollbackHandler rollbackHandler;
    private final AtomicBoolean running = new AtomicBoolean(true);

    /** Carries out a rollback request (the service's {@code Promotions}). */
    @FunctionalInterface
    public interface RollbackHandler {
        void rollback(String version, String reason) throws Exception;
    }

    public TrainerIngestor(String bootstrapServers, String groupId, Topics topics, TrainerStore store, String modelName, List<String> attributes,
                           RollbackHandler rollbackHandler) {
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
        this.store = store;
        this.modelName = modelName;
        this.attributes = attributes;
        this.pairsTopic = topics.trainingPairs().name();
        this.catalogTopic = topics.catalog().name();
        this.retrainTopic = topics.retrainRequests().name();
        this.pairs = topics.trainingPairs().valueSerde().deserializer();
        this.catalog = topics.catalog().valueSerde().deserializer();
        this.retrains = topics.retrainRequests().valueSerde().deserializer();
        this.rollbackTopic = topics.rollbackRequests().name();
        this.rollbacks = topics.rollbackRequests().valueSerde().deserializer();
        this.rollbackHandler = rollbackHandler;
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(pairsTopic, catalogTopic, retrainTopic, rollbackTopic));
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
            LOG.error("trainer ingestion stopped", e);
        } finally {
            consumer.close();
            deadLetters.close();
        }
    }

    private void apply(ConsumerRecords<byte[], byte[]> records) throws Exception {
        List<TrainingPair> pairRows = new ArrayList<>();
        Map<String, CatalogItem> items = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        List<String> deleted = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                if (r.topic().equals(pairsTopic)) {
                    TrainingPair p = pairs.deserialize(r.topic(), r.value());
                    if (p != null) {
                        pairRows.add(p);
                    }
                } else if (r.topic().equals(catalogTopic)) {
                    String id = r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                    CatalogItem item = catalog.deserialize(r.topic(), r.value());
                    if (item == null) {
                        if (id != null) {
                            deleted.add(id);
                            items.remove(id);
                        }
                    } else {
                        items.put(item.getId(), item);
                        texts.put(item.getId(), ProductText.of(item, attributes));
                        deleted.remove(item.getId());
                    }
                } else if (r.topic().equals(rollbackTopic)) {
                    RollbackRequested request = rollbacks.deserialize(r.topic(), r.value());
                    if (request != null && request.getModelName().equals(modelName)) {
                        try {
                            rollbackHandler.rollback(request.getVersion(), request.getReason() + " (by " + request.getRequestedBy() + ")");
                            LOG.info("rolled {} back to {} as {} asked", modelName, request.getVersion(), request.getRequestedBy());
                        } catch (IllegalArgumentException | IllegalStateException refused) {
                            LOG.warn("rollback of {} to {} refused: {}", modelName, request.getVersion(), refused.getMessage());
                        }
                    }
                } else if (r.topic().equals(retrainTopic)) {
                    RetrainRequested request = retrains.deserialize(r.topic(), r.value());
                    if (request != null && request.getModelName().equals(modelName)) {
                        store.requestRetrain(modelName, request.getReason() + " (by " + request.getRequestedBy() + ")", request.getRequestedAt());
                        LOG.info("retrain requested by {}: {}", request.getRequestedBy(), request.getReason());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("record {}-{}@{} cannot be read, sent to {}: {}", r.topic(), r.partition(), r.offset(), Topics.dlq(r.topic()), e.getMessage());
                deadLetters.send(new ProducerRecord<>(Topics.dlq(r.topic()), null, r.key(), r.value(),
                        DeadLetters.headers(r.headers(), e, r.topic(), r.partition(), r.offset())));
            }
        }
        if (!pairRows.isEmpty()) {
            store.upsertPairs(pairRows);
        }
        if (!items.isEmpty() || !deleted.isEmpty()) {
            store.applyCatalog(items, texts, deleted);
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
