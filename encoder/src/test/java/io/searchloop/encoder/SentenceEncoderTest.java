package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.searchloop.encoder.weights.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentenceEncoderTest {
    private static final List<String> TEXTS =
            List.of(
                    "steel chimney pipe",
                    "drill",
                    "",
                    "wool paint 42",
                    "a b c d e f g h i j k l m n o p q r s t");

    private static SentenceEncoder tiny(Path dir, EncoderOptions options) throws Exception {
        return SentenceEncoder.load(
                TinyModels.write(dir, 7), options.withDevice(EncoderOptions.DeviceChoice.CPU));
    }

    @Test
    void shouldGiveOneUnitLengthVectorPerText(@TempDir Path dir) throws Exception {
        try (SentenceEncoder encoder = tiny(dir, EncoderOptions.defaults())) {
            float[][] vectors = encoder.encode(TEXTS);
            assertThat(vectors).hasNumberOfRows(TEXTS.size());
            for (float[] v : vectors) {
                assertThat(v).hasSize(32);
                double norm = 0;
                for (float x : v) {
                    norm += x * x;
                }
                assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
            }
            assertThat(encoder.encode(List.of())).isEmpty();
        }
    }

    @Test
    void shouldNotLetPaddingChangeAnEmbedding(@TempDir Path dir) throws Exception {
        try (SentenceEncoder encoder = tiny(dir, EncoderOptions.defaults().withBatchSize(8))) {
            float[] alone = encoder.encode(List.of("drill"))[0];
            float[] padded = encoder.encode(List.of("drill", "a b c d e f g h i j k l"))[0];
            assertThat(padded).containsExactly(alone, within(1e-5f));
        }
    }

    @Test
    void shouldKeepInputOrderAcrossLengthSortedBatches(@TempDir Path dir) throws Exception {
        try (SentenceEncoder encoder = tiny(dir, EncoderOptions.defaults().withBatchSize(2))) {
            float[][] batched = encoder.encode(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(batched[i])
                        .as(TEXTS.get(i))
                        .containsExactly(encoder.encode(List.of(TEXTS.get(i)))[0], within(1e-5f));
            }
        }
    }

    @Test
    void shouldGiveIdenticalEmbeddingsAfterSaveAndLoad(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("saved");
        float[][] before;
        try (SentenceEncoder encoder = tiny(dir.resolve("orig"), EncoderOptions.defaults())) {
            before = encoder.encode(TEXTS);
            encoder.save(saved);
        }
        try (SentenceEncoder reloaded =
                SentenceEncoder.load(
                        saved,
                        EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU))) {
            float[][] after = reloaded.encode(TEXTS);
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i]).containsExactly(before[i]);
            }
        }
        assertThat(saved.resolve("modules.json")).exists();
        assertThat(saved.resolve("1_Pooling/config.json"))
                .content()
                .contains("\"pooling_mode_mean_tokens\" : true");
        assertThat(saved.resolve("sentence_bert_config.json")).exists();
        assertThat(saved.resolve("tokenizer.json")).exists();
    }

    @Test
    void shouldNotGrowLiveArraysOverManyCalls(@TempDir Path dir) throws Exception {
        try (SentenceEncoder encoder = tiny(dir, EncoderOptions.defaults().withBatchSize(2))) {
            encoder.encode(TEXTS);
            BaseNDManager weights = (BaseNDManager) encoder.model().manager();
            int live = weights.getManagedArrays().size();
            for (int i = 0; i < 50; i++) {
                encoder.encode(TEXTS);
                try (NDManager caller = NDManager.newBaseManager("PyTorch")) {
                    NDArray onDevice = encoder.encode(TEXTS, caller);
                    assertThat(onDevice.getShape().get(0)).isEqualTo(TEXTS.size());
                }
            }
            assertThat(weights.getManagedArrays()).hasSize(live);
        }
    }

    @Test
    void shouldEncodeConsistentlyUnderConcurrentCallers(@TempDir Path dir) throws Exception {
        try (SentenceEncoder encoder = tiny(dir, EncoderOptions.defaults().withBatchSize(2))) {
            float[][] expected = encoder.encode(TEXTS);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[][]>> results = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    results.add(pool.submit(() -> encoder.encode(TEXTS)));
                }
                for (Future<float[][]> f : results) {
                    float[][] got = f.get();
                    for (int i = 0; i < expected.length; i++) {
                        assertThat(got[i]).containsExactly(expected[i], within(1e-5f));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void shouldRefuseADirectoryWhoseFilesDoNotMatch(@TempDir Path dir) throws Exception {
        Path model = TinyModels.write(dir.resolve("m"), 1);
        EncoderOptions cpu = EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU);

        String config = Files.readString(model.resolve("config.json"));
        Files.writeString(
                model.resolve("config.json"),
                config.replace("\"hidden_size\" : 32", "\"hidden_size\" : 48"));
        assertThatThrownBy(() -> SentenceEncoder.load(model, cpu))
                .hasMessageContaining(
                        "embeddings.word_embeddings.weight has shape [72, 32], config needs [72, 48]");

        Files.writeString(
                model.resolve("config.json"),
                config.replace("\"model_type\" : \"bert\"", "\"model_type\" : \"gpt2\""));
        assertThatThrownBy(() -> SentenceEncoder.load(model, cpu))
                .hasMessageContaining("model_type 'gpt2' is not supported");

        Files.writeString(model.resolve("config.json"), config);
        var weights = SafeTensors.read(model.resolve("model.safetensors"));
        weights.remove("encoder.layer.1.attention.self.key.weight");
        SafeTensors.write(model.resolve("model.safetensors"), weights, java.util.Map.of());
        assertThatThrownBy(() -> SentenceEncoder.load(model, cpu))
                .hasMessageContaining("missing tensor encoder.layer.1.attention.self.key.weight");

        Files.delete(model.resolve("tokenizer.json"));
        assertThatThrownBy(() -> SentenceEncoder.load(model, cpu))
                .hasMessageContaining("has no tokenizer.json");
    }

    @Test
    void shouldStopEncodingAtABatchBoundaryWhenTheThreadIsInterrupted(@TempDir Path dir)
            throws Exception {
        try (SentenceEncoder encoder =
                SentenceEncoder.load(
                        TinyModels.write(dir, 7),
                        EncoderOptions.defaults()
                                .withDevice(EncoderOptions.DeviceChoice.CPU)
                                .withBatchSize(2))) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(
                                () -> encoder.encode(java.util.List.of("дымоход", "кран", "труба")))
                        .isInstanceOf(java.util.concurrent.CancellationException.class)
                        .hasMessageContaining("encoding interrupted");
            } finally {
                Thread.interrupted();
            }
            assertThat(encoder.encode(java.util.List.of("дымоход"))).hasNumberOfRows(1);
        }
    }
}
