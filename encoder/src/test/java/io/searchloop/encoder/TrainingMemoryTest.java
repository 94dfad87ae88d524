package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.encoder.model.BertConfig;
import io.searchloop.encoder.train.TrainingExample;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingMemoryTest {
    /** sberbank-ai/sbert_large_mt_nlu_ru's shape: BERT-large over a 120 138-piece vocabulary. */
    private static final BertConfig BERT_LARGE_RU =
            new BertConfig(120138, 1024, 24, 16, 4096, 512, 2, 1e-12, "gelu");

    @Test
    void shouldCountWeightsGradientsAndBothAdamMomentsOfABertLarge() {
        TrainingMemory m = TrainingMemory.estimate(BERT_LARGE_RU, 32, 32, 128, 0);
        long parameters = BERT_LARGE_RU.parameterCount();
        assertThat(parameters).isBetween(420_000_000L, 430_000_000L);
        assertThat(m.weights()).isEqualTo(4 * parameters);
        assertThat(m.gradients()).isEqualTo(4 * parameters);
        assertThat(m.adamMoments()).isEqualTo(8 * parameters);
        assertThat(m.total())
                .isEqualTo(
                        m.weights()
                                + m.gradients()
                                + m.adamMoments()
                                + m.activations()
                                + m.workspace());
        // Per layer and token 34·1024 + 8·4096 bytes, plus 9·16·T² per sequence: 24 layers,
        // 32×(32+128) tokens.
        assertThat(m.activations()).isGreaterThan(24L * 32 * 160 * (34 * 1024 + 8 * 4096));
    }

    @Test
    void shouldShrinkActivationsWithMicroBatchesButNotTheOptimizerState() {
        TrainingMemory whole = TrainingMemory.estimate(BERT_LARGE_RU, 32, 32, 256, 64, 32);
        TrainingMemory quarter = TrainingMemory.estimate(BERT_LARGE_RU, 32, 32, 256, 64, 8);
        assertThat(quarter.activations()).isLessThan(whole.activations() / 3);
        assertThat(quarter.adamMoments()).isEqualTo(whole.adamMoments());
        assertThat(quarter.weights()).isEqualTo(whole.weights());
    }

    @Test
    void shouldRefuseAStepTheDeviceCannotHoldAndSayWhatToDo(@TempDir Path dir) throws Exception {
        List<TrainingExample> examples =
                List.of(
                        new TrainingExample("steel pipe", "p1", "chimney pipe steel", 1f),
                        new TrainingExample("drill", "p2", "drill 18v", 1f));
        try (SentenceEncoder encoder =
                SentenceEncoder.load(
                        TinyModels.write(dir, 1),
                        EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU))) {
            TrainingMemory fits = TrainingMemory.check(encoder, examples, 32, 1, 1L << 30);
            assertThat(fits.activations()).isPositive();
            assertThatThrownBy(() -> TrainingMemory.check(encoder, examples, 32, 1, 1024))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a training step at batch 32 needs about")
                    .hasMessageContaining("AdamW moments")
                    .hasMessageContaining("TRAIN_GRADIENT_ACCUMULATION");
        }
        assertThat(TrainingMemory.available(ai.djl.Device.cpu())).isPositive();
    }
}
