package io.searchloop.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.events.Interaction;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.SampleEvents;
import io.searchloop.schemas.serde.AvroDeserializer;
import io.searchloop.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryTest {
    private FakeRegistryServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeRegistryServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RegistryConfig config() {
        return RegistryConfig.of(server.url())
                .withRetries(2, Duration.ofMillis(5))
                .withRequestTimeout(Duration.ofSeconds(5));
    }

    @Test
    void shouldRegisterLookUpAndFetchSchemas() {
        HttpSchemaRegistry client = new HttpSchemaRegistry(config());
        int id = client.register("interactions-value", Interaction.getClassSchema());

        assertThat(client.register("interactions-value", Interaction.getClassSchema()))
                .as("idempotent")
                .isEqualTo(id);
        assertThat(client.idOf("interactions-value", Interaction.getClassSchema())).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(Interaction.getClassSchema());
        assertThat(server.requests)
                .allSatisfy(
                        r -> {
                            if (r.method().equals("POST")) {
                                assertThat(r.contentType())
                                        .isEqualTo("application/vnd.schemaregistry.v1+json");
                            }
                        });
    }

    @Test
    void shouldMapRegistryErrorCodesToTypedExceptions() {
        HttpSchemaRegistry client = new HttpSchemaRegistry(config());
        client.register("pairs-value", TrainingPair.getClassSchema());

        assertThatThrownBy(() -> client.schemaById(4711))
                .isInstanceOf(UnknownSchemaIdException.class)
                .satisfies(
                        e ->
                                assertThat(((SchemaRegistryException) e).errorCode())
                                        .isEqualTo(40403));
        assertThatThrownBy(() -> client.idOf("no-such-subject", TrainingPair.getClassSchema()))
                .isInstanceOf(SchemaNotRegisteredException.class)
                .satisfies(
                        e ->
                                assertThat(((SchemaRegistryException) e).errorCode())
                                        .isEqualTo(40401));
        assertThatThrownBy(() -> client.idOf("pairs-value", Interaction.getClassSchema()))
                .isInstanceOf(SchemaNotRegisteredException.class)
                .satisfies(
                        e ->
                                assertThat(((SchemaRegistryException) e).errorCode())
                                        .isEqualTo(40403));
        Schema incompatible =
                SchemaBuilder.record("TrainingPair")
                        .namespace("io.searchloop.events")
                        .fields()
                        .requiredString("query")
                        .requiredString("brandNewRequiredField")
                        .endRecord();
        assertThatThrownBy(() -> client.register("pairs-value", incompatible))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("409");
    }

    @Test
    void shouldAnswerCompatibilityQuestions() {
        HttpSchemaRegistry client = new HttpSchemaRegistry(config());
        assertThat(client.isCompatible("fresh-subject", Interaction.getClassSchema()))
                .as("no versions yet")
                .isTrue();
        client.register("pairs-value", TrainingPair.getClassSchema());
        Schema incompatible =
                SchemaBuilder.record("TrainingPair")
                        .namespace("io.searchloop.events")
                        .fields()
                        .requiredString("query")
                        .requiredString("brandNewRequiredField")
                        .endRecord();
        assertThat(client.isCompatible("pairs-value", TrainingPair.getClassSchema())).isTrue();
        assertThat(client.isCompatible("pairs-value", incompatible)).isFalse();
    }

    @Test
    void shouldRetryServerErrorsThenSucceed() {
        HttpSchemaRegistry client = new HttpSchemaRegistry(config());
        server.failNext.set(2);
        int id = client.register("interactions-value", Interaction.getClassSchema());
        assertThat(id).isPositive();
        assertThat(server.requests).hasSize(3);
    }

    @Test
    void shouldGiveUpAfterBoundedRetries() {
        HttpSchemaRegistry client = new HttpSchemaRegistry(config());
        server.failNext.set(100);
        assertThatThrownBy(
                        () -> client.register("interactions-value", Interaction.getClassSchema()))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("after 3 attempts");
        assertThat(server.requests).hasSize(3);
    }

    @Test
    void shouldReportAnUnreachableRegistry() {
        String url = server.url();
        server.close();
        HttpSchemaRegistry client =
                new HttpSchemaRegistry(RegistryConfig.of(url).withRetries(1, Duration.ofMillis(1)));
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining(url);
    }

    @Test
    void shouldSendBasicAuthOrBearerToken() {
        new HttpSchemaRegistry(config().withBasicAuth("shop:s3cret"))
                .isCompatible("s", Interaction.getClassSchema());
        new HttpSchemaRegistry(config().withBearerToken("tok-123"))
                .isCompatible("s", Interaction.getClassSchema());
        String basic =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString("shop:s3cret".getBytes(StandardCharsets.UTF_8));
        assertThat(server.requests)
                .extracting(FakeRegistryServer.Request::authorization)
                .containsExactly(basic, "Bearer tok-123");
        assertThat(config().withBasicAuth("shop:s3cret").toString()).doesNotContain("s3cret");
        assertThat(config().withBearerToken("tok-123").toString()).doesNotContain("tok-123");
    }

    @Test
    void shouldCacheIdsAndSchemasBothWays() {
        SchemaRegistry client = SchemaRegistries.connect(config());
        int id = client.register("interactions-value", Interaction.getClassSchema());
        int requestsAfterRegister = server.requests.size();

        assertThat(client.register("interactions-value", Interaction.getClassSchema()))
                .isEqualTo(id);
        assertThat(client.idOf("interactions-value", Interaction.getClassSchema())).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(Interaction.getClassSchema());
        assertThat(server.requests).hasSize(requestsAfterRegister);
    }

    @Test
    void shouldCarryEventsThroughTheSerdeOverHttp() {
        SchemaRegistry producerSide = SchemaRegistries.connect(config());
        SchemaRegistry consumerSide = SchemaRegistries.connect(config());
        byte[] bytes =
                new AvroSerializer<Interaction>(producerSide, true, false)
                        .serialize("interactions", SampleEvents.click());
        assertThat(
                        new AvroDeserializer<>(consumerSide, Interaction.class)
                                .deserialize("interactions", bytes))
                .isEqualTo(SampleEvents.click());
    }
}
