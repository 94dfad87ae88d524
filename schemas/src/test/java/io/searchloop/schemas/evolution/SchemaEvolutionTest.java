package io.searchloop.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.schemas.SampleEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The build's schema-evolution gate: every released version of every event schema, kept under
 * {@code schemas/history/<Event>/v<N>.avsc}, must be readable by the current schema, and the newest
 * released version must be the current one (so a changed schema is released on purpose).
 */
class SchemaEvolutionTest {
    private static final Path HISTORY = Path.of("history");

    private static Map<String, Schema> currentSchemas() {
        return SampleEvents.all().stream()
                .map(SpecificRecord::getSchema)
                .collect(Collectors.toMap(Schema::getName, s -> s));
    }

    private static List<Path> releases(String event) throws IOException {
        try (Stream<Path> files = Files.list(HISTORY.resolve(event))) {
            return files.filter(f -> f.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(
                            Comparator.comparingInt(
                                    f ->
                                            Integer.parseInt(
                                                    f.getFileName()
                                                            .toString()
                                                            .replaceAll("\\D", ""))))
                    .toList();
        }
    }

    @Test
    void shouldReadDataWrittenWithEveryReleasedVersion() throws IOException {
        for (Map.Entry<String, Schema> current : currentSchemas().entrySet()) {
            List<Path> releases = releases(current.getKey());
            assertThat(releases).as("released versions of " + current.getKey()).isNotEmpty();
            for (Path release : releases) {
                Schema writer = new Schema.Parser().parse(release.toFile());
                BackwardCompatibility.Verdict verdict =
                        BackwardCompatibility.check(current.getValue(), writer);
                assertThat(verdict.compatible())
                        .as(current.getKey() + " must read " + release + ": " + verdict.problems())
                        .isTrue();
            }
        }
    }

    @Test
    void shouldHaveReleasedTheCurrentVersionOfEverySchema() throws IOException {
        for (Map.Entry<String, Schema> current : currentSchemas().entrySet()) {
            List<Path> releases = releases(current.getKey());
            Schema newest = new Schema.Parser().parse(releases.get(releases.size() - 1).toFile());
            Schema source =
                    new Schema.Parser()
                            .parse(Path.of("src/main/avro", current.getKey() + ".avsc").toFile());
            assertThat(newest)
                    .as(
                            "newest release of "
                                    + current.getKey()
                                    + " equals the current schema; "
                                    + "copy src/main/avro/"
                                    + current.getKey()
                                    + ".avsc to a new history version")
                    .isEqualTo(source);
        }
    }

    @Test
    void shouldFailAnIncompatibleChange() {
        Schema current = currentSchemas().get("TrainingPair");
        // A new required field without a default cannot be filled in when reading old data.
        String added =
                current.toString()
                        .replace(
                                "\"fields\":[",
                                "\"fields\":[{\"name\":\"shopId\",\"type\":\"string\"},");
        // Changing a field's type from double to string breaks every old record.
        String retyped =
                current.toString()
                        .replace(
                                "{\"name\":\"score\",\"type\":\"double\"",
                                "{\"name\":\"score\",\"type\":\"string\"");
        for (String broken : List.of(added, retyped)) {
            assertThat(broken).isNotEqualTo(current.toString());
            BackwardCompatibility.Verdict verdict =
                    BackwardCompatibility.check(new Schema.Parser().parse(broken), current);
            assertThat(verdict.compatible()).isFalse();
            assertThat(verdict.problems()).isNotBlank();
        }
    }

    @Test
    void shouldAllowAddingAFieldWithADefault() {
        Schema current = currentSchemas().get("Interaction");
        String evolved =
                current.toString()
                        .replace(
                                "\"fields\":[",
                                "\"fields\":[{\"name\":\"deviceType\",\"type\":[\"null\",\"string\"],\"default\":null},");
        assertThat(
                        BackwardCompatibility.check(new Schema.Parser().parse(evolved), current)
                                .compatible())
                .isTrue();
    }
}
