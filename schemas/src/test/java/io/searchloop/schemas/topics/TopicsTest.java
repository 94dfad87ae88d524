package io.searchloop.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.schemas.SampleEvents;
import io.searchloop.schemas.registry.InMemorySchemaRegistry;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldCompactTheTopicsThatHoldCurrentState() {
        Map<String, TopicSpec> specs =
                Topics.specs(3, (short) 1).stream()
                        .collect(Collectors.toMap(TopicSpec::name, Function.identity()));
        for (String compacted :
                new String[] {Topics.CATALOG, Topics.TRAINING_PAIRS, Topics.MODEL_VERSIONS}) {
            assertThat(specs.get(compacted).configs()).containsEntry("cleanup.policy", "compact");
        }
        for (String deleted :
                new String[] {
                    Topics.SEARCH_EVENTS,
                    Topics.INTERACTIONS,
                    Topics.INDEX_EVENTS,
                    Topics.RETRAIN_REQUESTS
                }) {
            assertThat(specs.get(deleted).configs())
                    .containsEntry("cleanup.policy", "delete")
                    .containsKey("retention.ms");
        }
        assertThat(specs.get(Topics.SEARCH_EVENTS).partitions()).isEqualTo(3);
        assertThat(specs.get(Topics.MODEL_VERSIONS).partitions()).isEqualTo(1);
        assertThat(specs)
                .containsKeys(
                        "search-events.dlq",
                        "interactions.dlq",
                        "catalog.dlq",
                        "training-pairs.dlq");
    }

    @Test
    void shouldPairEachTopicWithItsEventType() {
        Topics topics = Topics.autoRegistering(InMemorySchemaRegistry.scope("topics-test"));
        Topic<String, io.searchloop.events.CatalogItem> catalog = topics.catalog();
        byte[] bytes =
                catalog.valueSerde()
                        .serializer()
                        .serialize(catalog.name(), SampleEvents.catalogItem());
        assertThat(catalog.valueSerde().deserializer().deserialize(catalog.name(), bytes))
                .isEqualTo(SampleEvents.catalogItem());
        assertThat(topics.searchEvents().name()).isEqualTo("search-events");
    }

    @Test
    void shouldRefuseNonsenseSpecs() {
        assertThatThrownBy(() -> new TopicSpec("t", 0, (short) 1, Map.of()))
                .hasMessageContaining("partition");
        assertThatThrownBy(() -> new TopicSpec("t", 1, (short) 0, Map.of()))
                .hasMessageContaining("replication");
    }
}
