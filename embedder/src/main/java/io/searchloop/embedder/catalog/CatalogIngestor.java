package io.searchloop.embedder.catalog;

import io.searchloop.embedder.index.IndexBuilder;
import io.searchloop.embedder.index.IndexInfo;
import io.searchloop.embedder.index.IndexRepository;
import io.searchloop.embedder.index.IndexRequest;
import io.searchloop.embedder.index.ModelCache;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.ModelStatus;
import io.searchloop.events.ModelVersion;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.keys.ProductText;
import io.searchloop.schemas.keys.TextHash;
import io.searchloop.schemas.topics.IngestLoop;
import io.searchloop.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
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
 * Follows {@code catalog} and {@code model-versions}. Catalog changes go into {@code catalog_items}
 * and, embedded with each live version's model, into the active index and any index being built (an
 * unchanged text is not embedded again); tombstones delete. A PROMOTED version becomes the index
 * request the builder acts on. Unreadable records, and items without a title, go to {@code
 * <topic>.dlq} with the reason; a failure of the registry or the database (the active index
 * included) is thrown, so the {@link IngestLoop} reads the poll again and commits nothing — the
 * catalog writes are idempotent and a replay re-embeds what a failed poll left out.
 */
public final class CatalogIngestor implements IngestLoop.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogIngestor.class);

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

    public CatalogIngestor(
            Topics topics,
            DatabaseUrl database,
            CatalogRepository catalog,
            IndexRepository indexes,
            ModelCache models,
            String modelName,
            List<String> attributes) {
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

    /** The topics this handler reads. */
    public List<String> topics() {
        return List.of(catalogTopic, versionsTopic);
    }

    @Override
    public void apply(ConsumerRecords<byte[], byte[]> records, IngestLoop.DeadLetter deadLetter)
            throws Exception {
        Map<String, CatalogItem> upserts = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, Instant> deletions = new LinkedHashMap<>();
        List<IndexRequest> requests = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                if (r.topic().equals(catalogTopic)) {
                    String id =
                            r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    CatalogItem item = items.deserialize(r.topic(), r.value());
                    if (item == null) {
                        if (id == null) {
                            throw new IllegalArgumentException("catalog tombstone without a key");
                        }
                        deletions.put(id, Instant.ofEpochMilli(r.timestamp()));
                        upserts.remove(id);
                    } else {
                        if (item.getTitle() == null || item.getTitle().isBlank()) {
                            throw new IllegalArgumentException(
                                    "catalog item " + item.getId() + " has no title");
                        }
                        upserts.put(item.getId(), item);
                        texts.put(item.getId(), ProductText.of(item, attributes));
                        deletions.remove(item.getId());
                    }
                } else if (r.topic().equals(versionsTopic)) {
                    ModelVersion v = versions.deserialize(r.topic(), r.value());
                    if (v != null
                            && v.getModelName().equals(modelName)
                            && v.getStatus() == ModelStatus.PROMOTED) {
                        requests.add(
                                new IndexRequest(
                                        v.getModelName(),
                                        v.getVersion(),
                                        v.getArtifactUri(),
                                        v.getSha256()));
                    }
                }
            } catch (RuntimeException e) {
                deadLetter.sendIfPermanent(r, e);
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
                LOG.info(
                        "{} {} promoted: index requested",
                        request.modelName(),
                        request.modelVersion());
            }
        }
    }

    /** Writes the changes into the active index and every index being built. */
    private void embedIntoLiveIndexes(
            Connection c, Map<String, String> changed, List<String> deleted) throws Exception {
        List<IndexInfo> live = new ArrayList<>();
        indexes.active(c, modelName).ifPresent(live::add);
        for (IndexInfo i : indexes.indexes(c, modelName)) {
            if (!i.ready() && live.stream().noneMatch(l -> l.tableName().equals(i.tableName()))) {
                live.add(i);
            }
        }
        for (IndexInfo index : live) {
            if (!index.ready() && !indexes.tableExists(c, index.tableName())) {
                // Registered an instant before its table exists: the build's reconciliation picks
                // these changes up.
                continue;
            }
            if (!deleted.isEmpty()) {
                indexes.deleteRows(c, index.tableName(), deleted);
            }
            if (!changed.isEmpty()) {
                Map<String, String> hashes = indexes.hashes(c, index.tableName(), changed.keySet());
                Map<String, String> toEmbed = new LinkedHashMap<>();
                changed.forEach(
                        (id, text) -> {
                            if (!TextHash.of(text).equals(hashes.get(id))) {
                                toEmbed.put(id, text);
                            }
                        });
                if (!toEmbed.isEmpty()) {
                    try (ModelCache.Lease model =
                            models.acquire(
                                    index.modelVersion(), index.artifactUri(), index.sha256())) {
                        indexes.upsertRows(
                                c,
                                index.tableName(),
                                IndexBuilder.embedRows(model.encoder(), toEmbed));
                    }
                }
            }
        }
    }
}
