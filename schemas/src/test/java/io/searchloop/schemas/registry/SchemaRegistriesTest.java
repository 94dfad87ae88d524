package io.searchloop.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.events.CatalogItem;
import io.searchloop.events.Interaction;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class SchemaRegistriesTest {

    @Test
    void shouldShareOneInMemoryRegistryPerMockScope() {
        SchemaRegistry a = SchemaRegistries.connect("mock://scope-a");
        SchemaRegistry sameScope = SchemaRegistries.connect("mock://scope-a");
        SchemaRegistry otherScope = SchemaRegistries.connect("mock://scope-b");
        int id = a.register("catalog-value", CatalogItem.getClassSchema());

        assertThat(sameScope.schemaById(id)).isEqualTo(CatalogItem.getClassSchema());
        assertThatThrownBy(() -> otherScope.idOf("catalog-value", CatalogItem.getClassSchema()))
                .isInstanceOf(SchemaNotRegisteredException.class);
        InMemorySchemaRegistry.dropScope("scope-a");
        InMemorySchemaRegistry.dropScope("scope-b");
    }

    @Test
    void shouldGiveAnIdenticalSchemaTheSameIdUnderEverySubject() {
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope("ids-" + System.nanoTime());
        int first = registry.register("a-value", Interaction.getClassSchema());
        int second = registry.register("b-value", Interaction.getClassSchema());
        int other = registry.register("c-value", CatalogItem.getClassSchema());
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void shouldRefuseAnIncompatibleNextVersion() {
        InMemorySchemaRegistry registry =
                InMemorySchemaRegistry.scope("compat-" + System.nanoTime());
        Schema v1 = SchemaBuilder.record("R").fields().requiredString("a").endRecord();
        Schema v2ok =
                SchemaBuilder.record("R")
                        .fields()
                        .requiredString("a")
                        .name("b")
                        .type()
                        .stringType()
                        .stringDefault("x")
                        .endRecord();
        Schema v3bad =
                SchemaBuilder.record("R")
                        .fields()
                        .requiredString("a")
                        .requiredString("b")
                        .requiredInt("c")
                        .endRecord();
        registry.register("r-value", v1);
        registry.register("r-value", v2ok);
        assertThatThrownBy(() -> registry.register("r-value", v3bad))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("r-value");
    }

    @Test
    void shouldRejectUnsupportedUrls() {
        assertThatThrownBy(() -> SchemaRegistries.connect("ftp://registry"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SchemaRegistries.connect(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SchemaRegistries.connect("http://a:8081,http://b:8081"))
                .isInstanceOf(CachingSchemaRegistry.class);
    }
}
