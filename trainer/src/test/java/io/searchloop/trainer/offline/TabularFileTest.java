package io.searchloop.trainer.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularFileTest {

    @Test
    void shouldReadQuotedCsvTsvAndJsonLines(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("c.csv"),
                "id,title,category\np1,\"Кран 1/2\"\" латунь, вентиль\",Водопровод\n\np2,Дымоход,\n");
        Files.writeString(dir.resolve("c.tsv"), "id\ttitle\np1\tКран, латунь\n");
        Files.writeString(
                dir.resolve("c.jsonl"), "{\"id\":\"p1\",\"title\":\"Дымоход\",\"n\":3}\n\n");
        List<Map<String, String>> csv =
                TabularFile.read(dir.resolve("c.csv"), List.of("id", "title"));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(0).get("title")).isEqualTo("Кран 1/2\" латунь, вентиль");
        assertThat(csv.get(1).get("category")).isEmpty();
        assertThat(TabularFile.read(dir.resolve("c.tsv"), List.of("id")).get(0).get("title"))
                .isEqualTo("Кран, латунь");
        assertThat(TabularFile.read(dir.resolve("c.jsonl"), List.of("id")).get(0))
                .containsEntry("n", "3");
    }

    @Test
    void shouldNameTheLineOfAMalformedRow(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("bad.csv"), "query,product_id,score\nдымоход,p1,0.9\nдымоход,p2\n");
        assertThatThrownBy(() -> TabularFile.read(dir.resolve("bad.csv"), List.of()))
                .hasMessageContaining("line 3");
        Files.writeString(dir.resolve("quote.csv"), "a,b\n\"open,1\n");
        assertThatThrownBy(() -> TabularFile.read(dir.resolve("quote.csv"), List.of()))
                .hasMessageContaining("line 2")
                .hasMessageContaining("quote");
        Files.writeString(dir.resolve("bad.jsonl"), "{\"a\":1}\n{oops\n");
        assertThatThrownBy(() -> TabularFile.read(dir.resolve("bad.jsonl"), List.of()))
                .hasMessageContaining("line 2");
        Files.writeString(dir.resolve("missing.csv"), "id,title\np1,\n");
        assertThatThrownBy(
                        () -> TabularFile.read(dir.resolve("missing.csv"), List.of("id", "title")))
                .hasMessageContaining("line 2")
                .hasMessageContaining("title");
    }

    @Test
    void shouldReadQuotedNewlinesAndDelimitersAndNameLinesAfterThem(@TempDir Path dir)
            throws Exception {
        Files.writeString(
                dir.resolve("c.csv"),
                "\uFEFFid,title,description\n"
                        + "p1,\"Дымоход, сэндвич\",\"утеплённый;\nдве строки, \"\"ГОСТ\"\"\"\n"
                        + "p2,  Кран  ,\" с пробелами \"\n"
                        + "p3,,\n");
        assertThatThrownBy(() -> TabularFile.read(dir.resolve("c.csv"), List.of("id", "title")))
                .hasMessageContaining("line 5")
                .hasMessageContaining("'title'");
        List<Map<String, String>> rows = TabularFile.read(dir.resolve("c.csv"), List.of("id"));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0))
                .containsEntry("id", "p1")
                .containsEntry("title", "Дымоход, сэндвич")
                .containsEntry("description", "утеплённый;\nдве строки, \"ГОСТ\"");
        assertThat(rows.get(1))
                .containsEntry("title", "Кран")
                .containsEntry("description", " с пробелами ");
        Files.writeString(
                dir.resolve("t.tsv"),
                "query\tproduct_id\tscore\n\"труба\nдлинная\"\tp1\t0.5\nкран\tp2\n");
        assertThatThrownBy(() -> TabularFile.read(dir.resolve("t.tsv"), List.of()))
                .hasMessageContaining("line 4");
    }

    @Test
    void shouldScaleQrelsGainsByTheFilesMaximum(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("q.csv"),
                "query,product_id,relevance\nДымоход!,p1,3\nдымоход,p2,1\nдымоход,p3,0\n");
        Map<String, String> text = new java.util.HashMap<>();
        Map<String, Map<String, Double>> qrels = OfflineData.qrels(dir.resolve("q.csv"), text);
        assertThat(qrels).containsOnlyKeys("дымоход");
        assertThat(qrels.get("дымоход"))
                .containsEntry("p1", 1.0)
                .containsEntry("p2", 1.0 / 3)
                .doesNotContainKey("p3");
        assertThat(text).containsEntry("дымоход", "Дымоход!");
    }
}
