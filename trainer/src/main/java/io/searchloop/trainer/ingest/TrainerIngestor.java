package io.searchloop.trainer.ingest;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.RetrainRequested;
import io.searchloop.events.RollbackRequested;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.failure.FailurePolicy;
import io.searchloop.schemas.keys.ProductText;
import io.searchloop.schemas.topics.IngestLoop;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.trainer.store.TrainerStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies {@code training-pairs}, {@code catalog} and {@code retrain-requests} into the trainer's
 * tables with idempotent writes, and carries out {@code rollback-requests}; an {@link IngestLoop}
 * runs it (commit after the database, dead letters, rereading a refused poll). A record is
 * dead-lettered only for a permanent reason ({@link FailurePolicy}); a rollback that can never be
 * done (unknown version, artifact missing or altered) is logged and skipped.
 */
public final class TrainerIngestor implements IngestLoop.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerIngestor.class);

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

    /** Carries out a rollback request (the service's {@code Promotions}). */
    @FunctionalInterface
    public interface RollbackHandler {
        void rollback(String version, String reason) throws Exception;
    }

    public TrainerIngestor(
            Topics topics,
            TrainerStore store,
            String modelName,
            List<String> attributes,
            RollbackHandler rollbackHandler) {
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

    /** The topics this handler reads. */
    public List<String> topics() {
        return List.of(pairsTopic, catalogTopic, retrainTopic, rollbackTopic);
    }

    @Override
    public void apply(ConsumerRecords<byte[], byte[]> records, IngestLoop.DeadLetter deadLetter)
            throws Exception {
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
                    String id =
                            r.key() == null
                                    ? null
                                    : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
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
                            rollbackHandler.rollback(
                                    request.getVersion(),
                                    request.getReason() + " (by " + request.getRequestedBy() + ")");
                            LOG.info(
                                    "rolled {} back to {} as {} asked",
                                    modelName,
                                    request.getVersion(),
                                    request.getRequestedBy());
                        } catch (Exception refused) {
                            if (FailurePolicy.isTransient(refused)) {
                                throw refused;
                            }
                            // Unknown version, already production, artifact missing or altered:
                            // retrying cannot help, and the loop goes on.
                            LOG.warn(
                                    "rollback of {} to {} refused: {}",
                                    modelName,
                                    request.getVersion(),
                                    refused.getMessage());
                        }
                    }
                } else if (r.topic().equals(retrainTopic)) {
                    RetrainRequested request = retrains.deserialize(r.topic(), r.value());
                    if (request != null && request.getModelName().equals(modelName)) {
                        store.triggerState()
                                .requestRetrain(
                                        modelName,
                                        request.getReason()
                                                + " (by "
                                                + request.getRequestedBy()
                                                + ")",
                                        request.getRequestedAt());
                        LOG.info(
                                "retrain requested by {}: {}",
                                request.getRequestedBy(),
                                request.getReason());
                    }
                }
            } catch (RuntimeException e) {
                deadLetter.sendIfPermanent(r, e);
            }
        }
        if (!pairRows.isEmpty()) {
            store.pairs().upsert(pairRows);
        }
        if (!items.isEmpty() || !deleted.isEmpty()) {
            store.catalog().apply(items, texts, deleted);
        }
    }
}
