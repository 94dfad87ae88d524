package io.searchloop.schemas;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.IndexActivated;
import io.searchloop.events.Interaction;
import io.searchloop.events.InteractionType;
import io.searchloop.events.ModelStatus;
import io.searchloop.events.ModelVersion;
import io.searchloop.events.PairSource;
import io.searchloop.events.RetrainRequested;
import io.searchloop.events.RollbackRequested;
import io.searchloop.events.SearchPerformed;
import io.searchloop.events.SearchResult;
import io.searchloop.events.TrainingPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One realistic instance of every event type, with optional fields both set and unset. */
public final class SampleEvents {
    public static final Instant T0 = Instant.parse("2026-11-27T10:15:30.123Z");

    private SampleEvents() {}

    public static SearchPerformed search() {
        return SearchPerformed.newBuilder()
                .setRequestId("req-1")
                .setSessionId("sess-9")
                .setQuery("труба для отвода дыма 115/200")
                .setResults(
                        List.of(
                                SearchResult.newBuilder()
                                        .setProductId("p-100")
                                        .setPosition(1)
                                        .setScore(0.83)
                                        .build(),
                                SearchResult.newBuilder()
                                        .setProductId("p-200")
                                        .setPosition(2)
                                        .setScore(null)
                                        .build()))
                .setModelVersion("v3")
                .setTimestamp(T0)
                .build();
    }

    public static Interaction click() {
        return Interaction.newBuilder()
                .setType(InteractionType.ADD_TO_CART)
                .setRequestId("req-1")
                .setSessionId(null)
                .setProductId("p-200")
                .setPosition(2)
                .setTimestamp(T0.plusSeconds(4))
                .build();
    }

    public static CatalogItem catalogItem() {
        return CatalogItem.newBuilder()
                .setId("p-100")
                .setTitle("Сэндвич дымоход из нержавеющей стали 115/200 мм, утепленный")
                .setDescription(null)
                .setCategory("Дымоходы")
                .setAttributes(Map.of("диаметр", "115/200", "материал", "нерж."))
                .setUpdatedAt(T0)
                .build();
    }

    public static TrainingPair trainingPair() {
        return TrainingPair.newBuilder()
                .setQuery("Дымо ход")
                .setNormalizedQuery("дымо ход")
                .setProductId("p-100")
                .setProductText("Сэндвич дымоход 115/200 | Дымоходы")
                .setScore(0.72)
                .setSource(PairSource.AUGMENTED_TYPO)
                .setImpressions(3.5)
                .setPositives(2.0)
                .setSkips(0.5)
                .setUpdatedAt(T0)
                .build();
    }

    public static ModelVersion modelVersion() {
        return ModelVersion.newBuilder()
                .setModelName("catalog-encoder")
                .setVersion("v4")
                .setParentVersion("v3")
                .setBaseModel("all-MiniLM-L6-v2")
                .setArtifactUri("file:///models/catalog-encoder/v4")
                .setSha256("ab".repeat(32))
                .setStatus(ModelStatus.PROMOTED)
                .setReason("ndcg@10 +0.041")
                .setMetrics(Map.of("ndcg@10", 0.61, "mrr@10", 0.55))
                .setPairCount(2417L)
                .setCreatedAt(T0)
                .build();
    }

    public static IndexActivated indexActivated() {
        return IndexActivated.newBuilder()
                .setModelName("catalog-encoder")
                .setModelVersion("v4")
                .setItemCount(5000L)
                .setDurationMillis(81_234L)
                .setActivatedAt(T0)
                .build();
    }

    public static RetrainRequested retrainRequested() {
        return RetrainRequested.newBuilder()
                .setModelName("m")
                .setReason("r")
                .setRequestedBy("ops")
                .setRequestedAt(Instant.ofEpochMilli(1000))
                .build();
    }

    public static RollbackRequested rollbackRequested() {
        return RollbackRequested.newBuilder()
                .setModelName("catalog-encoder")
                .setVersion("v3")
                .setReason("v4 hurts conversions")
                .setRequestedBy("ops")
                .setRequestedAt(T0)
                .build();
    }

    public static List<SpecificRecord> all() {
        return List.of(
                search(),
                click(),
                catalogItem(),
                trainingPair(),
                modelVersion(),
                indexActivated(),
                retrainRequested(),
                rollbackRequested());
    }
}
