package io.searchloop.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
    enum Colour {
        RED,
        GREEN
    }

    @Test
    void shouldRememberEveryKeyAskedForSetOrNot() {
        Env e = new Env(Map.of("A", "1"));
        e.string("A", "x");
        e.integer("B", 3, 0, 9);
        e.secret("C");
        assertThat(e.keysRead()).containsExactlyInAnyOrder("A", "B", "C");
    }

    @Test
    void shouldBoundIntegersAndPorts() {
        Env e = new Env(Map.of("I", "12", "P", "70000", "Q", "x"));
        assertThat(e.integer("I", 0, 0, 20)).isEqualTo(12);
        assertThat(e.port("P", 8080)).isEqualTo(8080);
        assertThat(e.integer("Q", 5, 0, 9)).isEqualTo(5);
        assertThatThrownBy(() -> e.check("test"))
                .hasMessageContaining("P must be an integer in [0, 65535], got '70000'")
                .hasMessageContaining("Q must be an integer in [0, 9]");
    }

    @Test
    void shouldReadConnectionsWithLocalDefaults() {
        Env e = new Env(Map.of("SCHEMA_REGISTRY_URL", "http://r:8081", "TOPIC_PREFIX", "t."));
        assertThat(Connections.fromEnv(e))
                .isEqualTo(
                        Connections.of(
                                        "localhost:9092",
                                        "http://r:8081",
                                        Connections.LOCAL_DATABASE)
                                .withTopicPrefix("t."));
        Env missing = new Env(Map.of());
        Connections.fromEnv(missing);
        assertThatThrownBy(() -> missing.check("test"))
                .hasMessageContaining("SCHEMA_REGISTRY_URL is required");
    }

    @Test
    void shouldReadTypedValuesWithFallbacks() {
        Env e =
                new Env(
                        Map.of(
                                "D",
                                "PT5M",
                                "S",
                                "90",
                                "C",
                                "green",
                                "L",
                                " a, b ,, c ",
                                "B",
                                "yes",
                                "N",
                                "0.25"));
        assertThat(e.duration("D", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(e.duration("S", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(e.choice("C", Colour.class, Colour.RED)).isEqualTo(Colour.GREEN);
        assertThat(e.list("L", List.of())).containsExactly("a", "b", "c");
        assertThat(e.bool("B", false)).isTrue();
        assertThat(e.number("N", 1, 0, 1)).isEqualTo(0.25);
        assertThat(e.string("MISSING", "x")).isEqualTo("x");
        e.check("test");
    }

    @Test
    void shouldReportEveryProblemTogetherAndNeverEchoSecrets() {
        Env e = new Env(Map.of("C", "blue", "D", "soon", "P", "-3", "TOKEN", "s3cret"));
        e.choice("C", Colour.class, Colour.RED);
        e.duration("D", Duration.ZERO);
        e.positiveInt("P", 1);
        assertThat(e.secret("TOKEN")).isEqualTo("s3cret");
        assertThatThrownBy(() -> e.check("test"))
                .hasMessageContaining("C must be one of [red, green]")
                .hasMessageContaining("D must be an ISO-8601 duration")
                .hasMessageContaining("P must be a positive integer")
                .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("s3cret"));
    }
}
