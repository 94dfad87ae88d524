package io.searchloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EncodeCommandIT {

    @Test
    void shouldWriteOneJsonLinePerInputLine(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("texts.txt");
        Path output = dir.resolve("out.jsonl");
        Files.writeString(
                input,
                "труба для отвода дыма\nдымоход\n\ncordless drill\n",
                StandardCharsets.UTF_8);

        int exit =
                new CommandLine(new Main())
                        .execute(
                                "encode",
                                "--model",
                                "base",
                                "--input",
                                input.toString(),
                                "--output",
                                output.toString());

        assertThat(exit).isZero();
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.path("text").asText()).isEqualTo("труба для отвода дыма");
        assertThat(first.path("embedding")).hasSize(384);
        assertThat(json.readTree(lines.get(2)).path("text").asText()).isEmpty();
        double dot = 0;
        JsonNode a = json.readTree(lines.get(0)).path("embedding");
        JsonNode b = json.readTree(lines.get(1)).path("embedding");
        for (int i = 0; i < 384; i++) {
            dot += a.get(i).asDouble() * b.get(i).asDouble();
        }
        assertThat(dot)
                .as("embeddings are unit vectors, so cosine is in [-1, 1]")
                .isBetween(-1.0, 1.0);
    }

    @Test
    void shouldFailClearlyOnAMissingModelDirectory(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("texts.txt");
        Files.writeString(input, "x\n");
        CommandLine cli = new CommandLine(new Main());
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        int exit =
                cli.execute(
                        "encode",
                        "--model",
                        dir.resolve("nope").toString(),
                        "--input",
                        input.toString(),
                        "--output",
                        dir.resolve("o").toString());
        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("does not exist");
    }
}
