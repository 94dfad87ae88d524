package io.searchloop.encoder.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TinyModels;
import io.searchloop.encoder.model.BertConfig;
import io.searchloop.encoder.model.Pooling;
import io.searchloop.encoder.weights.ModelDirectory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autograd keeps the tensors an operation saved until backward. If one of them is a view of a Java
 * buffer that the JVM frees in between (DJL's {@code NDArray.mul(Number)} and siblings make exactly
 * that), backward reads freed memory. This test collects garbage and reuses the freed memory
 * between forward and backward, and requires every gradient to be what it is without that.
 */
class AutogradLifetimeTest {
    private static final List<TrainingExample> BATCH =
            List.of(
                    new TrainingExample(
                            "steel pipe",
                            "p1",
                            "chimney pipe steel",
                            1f,
                            List.of(new HardNegative("p9", "paint"))),
                    new TrainingExample("drill", "p2", "drill 18v", 0.8f),
                    new TrainingExample("wool", "p3", "wool 50", 0.6f),
                    new TrainingExample("paint white", "p4", "paint white 5l", 0.9f));

    @ParameterizedTest
    @ValueSource(strings = {"gelu", "gelu_new"})
    void shouldComputeTheSameGradientsWhenTheJvmCollectsGarbageBeforeBackward(
            String activation, @TempDir Path dir) throws Exception {
        BertConfig c = TinyModels.CONFIG;
        BertConfig config =
                new BertConfig(
                        c.vocabSize(),
                        c.hiddenSize(),
                        c.numLayers(),
                        c.numHeads(),
                        c.intermediateSize(),
                        c.maxPositions(),
                        c.typeVocabSize(),
                        c.layerNormEps(),
                        activation);
        ModelDirectory.write(
                dir,
                new ModelDirectory.Contents(
                        config,
                        Pooling.MEAN,
                        16,
                        TinyModels.tokenizerJson(),
                        TinyModels.randomWeights(config, 3)));
        EncoderTrainer.Options options =
                new EncoderTrainer.Options(
                        TrainingLoss.named("mnrl"),
                        new LinearSchedule(1e-3f, 1, 10),
                        0.01f,
                        1f,
                        0f,
                        7L);
        try (SentenceEncoder encoder =
                        SentenceEncoder.load(
                                dir,
                                EncoderOptions.defaults()
                                        .withDevice(EncoderOptions.DeviceChoice.CPU));
                EncoderTrainer trainer = new EncoderTrainer(encoder, options)) {
            Map<String, float[]> quiet = trainer.gradients(BATCH, () -> {});
            List<ByteBuffer> reused = new ArrayList<>();
            Map<String, float[]> collected =
                    trainer.gradients(BATCH, () -> collectAndReuseFreedMemory(reused));
            assertThat(reused).isNotEmpty();
            assertThat(collected.keySet()).isEqualTo(quiet.keySet());
            double total = 0;
            for (Map.Entry<String, float[]> e : quiet.entrySet()) {
                float[] expected = e.getValue();
                float[] actual = collected.get(e.getKey());
                for (int i = 0; i < expected.length; i++) {
                    total += Math.abs(expected[i]);
                    assertThat(actual[i])
                            .as("%s[%d] with %s", e.getKey(), i, activation)
                            .isCloseTo(
                                    expected[i],
                                    org.assertj.core.api.Assertions.within(
                                            1e-6f + 1e-5f * Math.abs(expected[i])));
                }
            }
            assertThat(total).as("the batch must produce gradients at all").isPositive();
        }
    }

    /**
     * Three rounds of GC, each followed by small direct buffers filled with NaN: freed scalar
     * buffers are then very likely overwritten, so a dangling one shows up in the gradient.
     */
    private static void collectAndReuseFreedMemory(List<ByteBuffer> keep) {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < 2_000; i++) {
                ByteBuffer b =
                        ByteBuffer.allocateDirect(4 + (i % 2) * 4).order(ByteOrder.nativeOrder());
                while (b.remaining() >= 4) {
                    b.putFloat(Float.NaN);
                }
                keep.add(b);
            }
        }
    }
}
