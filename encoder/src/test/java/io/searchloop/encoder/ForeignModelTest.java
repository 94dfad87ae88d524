package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.searchloop.encoder.model.Pooling;
import io.searchloop.encoder.train.EncoderTrainer;
import io.searchloop.encoder.train.LinearSchedule;
import io.searchloop.encoder.train.TrainingExample;
import io.searchloop.encoder.train.TrainingLoss;
import io.searchloop.encoder.weights.ModelChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bring-your-own-model: directories written as Hugging Face writes them load with their own
 * tokenizer and sentence-transformers settings, encode Russian, train, and export into a directory
 * that reloads to the same embeddings and keeps every tokenizer and sentence-transformers file of
 * the source byte for byte.
 */
class ForeignModelTest {
    private static final List<String> RUSSIAN =
            List.of(
                    "труба для отвода дыма",
                    "дымоход",
                    "дымо ход",
                    "стальная труба 120",
                    "дрель аккумуляторная",
                    "краска для дерева",
                    "кабель медный",
                    "шуруповерт");
    private static final List<TrainingExample> BATCH =
            List.of(
                    new TrainingExample(
                            "труба для отвода дыма", "p1", "дымоход стальная труба", 1f),
                    new TrainingExample("дрель", "p2", "дрель аккумуляторная", 1f),
                    new TrainingExample("краска", "p3", "краска для дерева", 1f),
                    new TrainingExample("кабель", "p4", "кабель медный 3", 1f));
    private static final EncoderOptions CPU =
            EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU);
    private static final List<String> KEPT =
            List.of(
                    "config.json",
                    "tokenizer.json",
                    "tokenizer_config.json",
                    "special_tokens_map.json",
                    "modules.json",
                    "1_Pooling/config.json",
                    "sentence_bert_config.json");

    @ParameterizedTest
    @EnumSource(ForeignModels.Kind.class)
    void shouldLoadEncodeRussianTrainAndExportAModelThatReloadsUnchanged(
            ForeignModels.Kind kind, @TempDir Path dir) throws Exception {
        Path source = ForeignModels.write(dir.resolve("source"), kind, 3);
        Path exported = dir.resolve("exported");
        float[][] trained;
        try (SentenceEncoder encoder = SentenceEncoder.load(source, CPU)) {
            assertThat(encoder.tokenizer().maxLength()).isEqualTo(kind.maxSeqLength());
            assertThat(encoder.tokenizer().tokens("дымоход"))
                    .as("whole Cyrillic pieces, not letters")
                    .hasSize(3);
            float[][] before = encoder.encode(RUSSIAN);
            assertUnitLength(before);
            try (EncoderTrainer trainer =
                    new EncoderTrainer(
                            encoder,
                            new EncoderTrainer.Options(
                                    TrainingLoss.named("mnrl"),
                                    new LinearSchedule(1e-3f, 1, 2),
                                    0.01f,
                                    1f,
                                    0.1f,
                                    5L))) {
                assertThat(trainer.step(BATCH).skipped()).isFalse();
                assertThat(trainer.step(BATCH).skipped()).isFalse();
            }
            trained = encoder.encode(RUSSIAN);
            assertThat(trained[0]).isNotEqualTo(before[0]);
            encoder.save(exported);
        }
        try (SentenceEncoder reloaded = SentenceEncoder.load(exported, CPU)) {
            float[][] after = reloaded.encode(RUSSIAN);
            for (int i = 0; i < RUSSIAN.size(); i++) {
                assertThat(after[i]).as(RUSSIAN.get(i)).containsExactly(trained[i], within(1e-6f));
            }
            assertThat(reloaded.tokenizer().maxLength()).isEqualTo(kind.maxSeqLength());
        }
        for (String file : KEPT) {
            assertThat(Files.readAllBytes(exported.resolve(file)))
                    .as(file)
                    .isEqualTo(Files.readAllBytes(source.resolve(file)));
        }
        assertThat(exported.resolve("config_sentence_transformers.json"))
                .content()
                .contains("\"similarity_fn_name\" : \"cosine\"");
        var metadata =
                new ObjectMapper()
                        .readTree(exported.resolve("searchloop.json").toFile())
                        .path("base_model");
        assertThat(metadata.path("name").asText()).isEqualTo("source");
        assertThat(metadata.path("sha256").asText()).isEqualTo(ModelChecksum.sha256(source));
    }

    @Test
    void shouldKeepTheFirstBaseThroughAChainOfExports(@TempDir Path dir) throws Exception {
        Path source = ForeignModels.write(dir.resolve("source"), ForeignModels.Kind.UNIGRAM, 3);
        String baseSha = ModelChecksum.sha256(source);
        try (SentenceEncoder encoder = SentenceEncoder.load(source, CPU)) {
            encoder.save(dir.resolve("v1"));
        }
        try (SentenceEncoder encoder = SentenceEncoder.load(dir.resolve("v1"), CPU)) {
            encoder.save(dir.resolve("v2"));
        }
        assertThat(dir.resolve("v2/searchloop.json")).content().contains(baseSha);
        assertThat(Files.readAllBytes(dir.resolve("v2/tokenizer_config.json")))
                .isEqualTo(Files.readAllBytes(source.resolve("tokenizer_config.json")));
    }

    @Test
    void shouldHonourEachDirectorysPoolingAndLowerCasing(@TempDir Path dir) throws Exception {
        try (SentenceEncoder cls =
                        SentenceEncoder.load(
                                ForeignModels.write(
                                        dir.resolve("cls"), ForeignModels.Kind.XLM_ROBERTA_CLS, 1),
                                CPU);
                SentenceEncoder max =
                        SentenceEncoder.load(
                                ForeignModels.write(
                                        dir.resolve("max"),
                                        ForeignModels.Kind.LONG_LOWERCASE_MAX,
                                        1),
                                CPU);
                SentenceEncoder mean =
                        SentenceEncoder.load(
                                ForeignModels.write(
                                        dir.resolve("mean"), ForeignModels.Kind.WORDPIECE, 1),
                                CPU)) {
            assertThat(cls.pooling()).isEqualTo(Pooling.CLS);
            assertThat(max.pooling()).isEqualTo(Pooling.MAX);
            assertThat(mean.pooling()).isEqualTo(Pooling.MEAN);
            assertThat(cls.tokenizer().tokens("дымоход"))
                    .containsExactly("<s>", "▁дымоход", "</s>");
            // do_lower_case: upper case reaches the lower-case vocabulary; without it, it would be
            // [UNK]s.
            assertThat(max.encode(List.of("ТРУБА ДЛЯ ДЫМА"))[0])
                    .containsExactly(max.encode(List.of("труба для дыма"))[0], within(1e-6f));
            assertThat(mean.tokenizer().tokens("ТРУБА")).contains("[UNK]");
        }
    }

    @Test
    void shouldRefuseWhatItCannotComputeByNameBeforeReadingWeights(@TempDir Path dir)
            throws Exception {
        Path model = ForeignModels.write(dir.resolve("m"), ForeignModels.Kind.WORDPIECE, 1);
        Files.writeString(
                model.resolve("model.safetensors"),
                "not weights"); // every refusal below comes before this is read
        String config = Files.readString(model.resolve("config.json"));
        String modules = Files.readString(model.resolve("modules.json"));
        String pooling = Files.readString(model.resolve("1_Pooling/config.json"));

        Files.writeString(
                model.resolve("config.json"),
                config.replace("\"model_type\": \"bert\"", "\"model_type\": \"distilbert\""));
        assertThatThrownBy(() -> SentenceEncoder.load(model, CPU))
                .hasMessageContaining(
                        "model_type 'distilbert' is not supported: no token-type embeddings");
        Files.writeString(
                model.resolve("config.json"),
                config.replace("\"model_type\": \"bert\"", "\"model_type\": \"deberta-v2\""));
        assertThatThrownBy(() -> SentenceEncoder.load(model, CPU))
                .hasMessageContaining("deberta-v2")
                .hasMessageContaining("relative-position");
        Files.writeString(
                model.resolve("config.json"), config.replace("\"absolute\"", "\"relative_key\""));
        assertThatThrownBy(() -> SentenceEncoder.load(model, CPU))
                .hasMessageContaining("position_embedding_type 'relative_key' is not supported");
        Files.writeString(model.resolve("config.json"), config);

        Files.writeString(
                model.resolve("modules.json"),
                modules.replace(
                        "\n]",
                        ",\n  {\"idx\": 2, \"name\": \"2\", \"path\": \"2_Dense\","
                                + " \"type\": \"sentence_transformers.models.Dense\"}\n]"));
        assertThatThrownBy(() -> SentenceEncoder.load(model, CPU))
                .hasMessageContaining("module sentence_transformers.models.Dense ('2_Dense')");
        Files.writeString(model.resolve("modules.json"), modules);

        Files.writeString(
                model.resolve("1_Pooling/config.json"),
                pooling.replace(
                                "\"pooling_mode_mean_tokens\": true",
                                "\"pooling_mode_mean_tokens\": false")
                        .replace(
                                "\"pooling_mode_weightedmean_tokens\": false",
                                "\"pooling_mode_weightedmean_tokens\": true"));
        assertThatThrownBy(() -> SentenceEncoder.load(model, CPU))
                .hasMessageContaining(
                        "pooling [pooling_mode_weightedmean_tokens] is not supported");
        Files.writeString(model.resolve("1_Pooling/config.json"), pooling);

        Files.writeString(
                model.resolve("config.json"),
                config.replaceAll("\"vocab_size\": \\d+", "\"vocab_size\": 20"));
        assertThatThrownBy(() -> SentenceEncoder.load(model, CPU))
                .hasMessageContaining("but the model's vocab_size is 20");
        Files.writeString(model.resolve("config.json"), config);

        String tokenizer = Files.readString(model.resolve("tokenizer.json"));
        Files.writeString(
                model.resolve("tokenizer.json"),
                tokenizer.replace(
                        "\"type\":\"WordPiece\",\"unk_token\"",
                        "\"type\":\"Mystery\",\"unk_token\""));
        assertThatThrownBy(() -> SentenceEncoder.load(model, CPU))
                .hasMessageContaining("tokenizer model type 'Mystery'");
        Files.writeString(model.resolve("tokenizer.json"), tokenizer);

        assertThatThrownBy(() -> SentenceEncoder.load(model, CPU))
                .hasMessageContaining("is not a safetensors file");
    }

    @Test
    void shouldBuildTokenizersWithoutDuplicatePieces() {
        assertThat(new HashSet<>(ForeignModels.unigramVocabulary()))
                .hasSameSizeAs(ForeignModels.unigramVocabulary());
        assertThat(new HashSet<>(ForeignModels.wordPieceVocabulary()))
                .hasSameSizeAs(ForeignModels.wordPieceVocabulary());
    }

    private static void assertUnitLength(float[][] vectors) {
        Stream.of(vectors)
                .forEach(
                        v -> {
                            double norm = 0;
                            for (float x : v) {
                                assertThat(x).isFinite();
                                norm += x * x;
                            }
                            assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
                        });
    }
}
