package io.searchloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher's runtime classpath ({@code target/lib}, what the image copies) after {@code
 * package}: the services' jars are there, the test kit and what only it needs (the Kafka broker,
 * Scala, Testcontainers) are not.
 */
class ProductionClasspathIT {

    @Test
    void shouldShipTheServicesWithoutTheTestKit() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(Path.of("target", "lib"))) {
            jars = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars)
                .anyMatch(j -> j.startsWith("pair-builder-"))
                .anyMatch(j -> j.startsWith("trainer-"))
                .anyMatch(j -> j.startsWith("embedder-"))
                .anyMatch(j -> j.startsWith("search-api-"))
                .anyMatch(j -> j.startsWith("kafka-clients-"));
        assertThat(jars)
                .noneMatch(
                        j ->
                                j.startsWith("testkit-")
                                        || j.startsWith("kafka_2.13-")
                                        || j.startsWith("scala-")
                                        || j.startsWith("testcontainers-")
                                        || j.startsWith("kafka-server-")
                                        || j.startsWith("kafka-raft-"));
    }
}
