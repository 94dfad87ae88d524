package io.searchloop.encoder.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient accumulation by gradient caching: a step computed in micro-batches has the gradient of
 * the same step over the whole batch — in-batch negatives stay batch-wide — and uses the same loss
 * value.
 */
class GradientAccumulationTest {
    private static final List<TrainingExample> BATCH =
            List.of(
                    new TrainingExample(
                            "steel pipe",
                            "p1",
                            "chimney pipe steel",
                            1f,
                            List.of(
                                    new HardNegative("n1", "paint"),
                                    new HardNegative("n2", "drill 12v"))),
                    new TrainingExample(
                            "drill",
                            "p2",
                            "drill 18v",
                            0.8f,
                            List.of(new HardNegative("n4", "wool"))),
                    new TrainingExample("wool", "p3", "wool 50", 0.6f),
                    new TrainingExample(
                            "paint",
                            "p4",
                            "paint white 5 l",
                            0.9f,
                            List.of(new HardNegative("n3", "pipe"))),
                    new TrainingExample("chimney", "p1", "chimney pipe steel", 1f));

    @Test
    void shouldGiveTheWholeBatchGradientInAnyNumberOfMicroBatches(@TempDir Path dir)
            throws Exception {
        for (String loss : List.of("mnrl", "both")) {
            Map<String, float[]> whole = gradients(dir.resolve(loss + "1"), loss, 1);
            for (int k : new int[] {2, 3, 5}) {
                Map<String, float[]> accumulated = gradients(dir.resolve(loss + k), loss, k);
                assertThat(accumulated.keySet()).isEqualTo(whole.keySet());
                // float tolerance relative to the largest gradient (some, like the key biases', are
                // zero up to rounding)
                float tolerance =
                        1e-5f
                                * whole.values().stream()
                                        .map(GradientAccumulationTest::largest)
                                        .max(Float::compare)
                                        .orElseThrow();
                whole.forEach(
                        (name, expected) ->
                                assertThat(accumulated.get(name))
                                        .as("%s, %s, %d micro-batches", name, loss, k)
                                        .containsExactly(expected, within(tolerance)));
            }
        }
    }

    @Test
    void shouldTrainToTheSameWeightsWithAndWithoutAccumulation(@TempDir Path dir) throws Exception {
        float[] whole = twoSteps(dir.resolve("1"), 1);
        float[] accumulated = twoSteps(dir.resolve("2"), 2);
        assertThat(accumulated).containsExactly(whole, within(1e-5f));
    }

    @Test
    void shouldTrainWithDropoutInMicroBatches(@TempDir Path dir) throws Exception {
        try (SentenceEncoder encoder =
                        SentenceEncoder.load(
                                TinyModels.write(dir, 11),
                                EncoderOptions.defaults()
                                        .withDevice(EncoderOptions.DeviceChoice.CPU));
                EncoderTrainer trainer =
                        new EncoderTrainer(
                                encoder,
                                new EncoderTrainer.Options(
                                        TrainingLoss.named("mnrl"),
                                        new LinearSchedule(1e-3f, 1, 3),
                                        0.01f,
                                        1f,
                                        0.1f,
                                        5L,
                                        3))) {
            for (int i = 0; i < 3; i++) {
                EncoderTrainer.StepResult r = trainer.step(BATCH);
                assertThat(r.skipped()).isFalse();
                assertThat(r.loss()).isFinite().isPositive();
            }
            assertThat(trainer.liveStateArrays())
                    .as("only the moments stay between steps")
                    .isEqualTo(2 * encoder.model().parameters().size());
        }
    }

    private static float largest(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static Map<String, float[]> gradients(Path dir, String loss, int accumulation)
            throws Exception {
        try (SentenceEncoder encoder =
                        SentenceEncoder.load(
                                TinyModels.write(dir, 11),
                                EncoderOptions.defaults()
                                        .withDevice(EncoderOptions.DeviceChoice.CPU));
                EncoderTrainer trainer =
                        new EncoderTrainer(
                                encoder,
                                new EncoderTrainer.Options(
                                        TrainingLoss.named(loss),
                                        new LinearSchedule(1e-3f, 1, 2),
                                        0.01f,
                                        1f,
                                        0f,
                                        5L,
                                        accumulation))) {
            return trainer.gradients(BATCH, () -> {});
        }
    }

    private static float[] twoSteps(Path dir, int accumulation) throws Exception {
        try (SentenceEncoder encoder =
                        SentenceEncoder.load(
                                TinyModels.write(dir, 11),
                                EncoderOptions.defaults()
                                        .withDevice(EncoderOptions.DeviceChoice.CPU));
                EncoderTrainer trainer =
                        new EncoderTrainer(
                                encoder,
                                new EncoderTrainer.Options(
                                        TrainingLoss.named("mnrl"),
                                        new LinearSchedule(1e-3f, 1, 2),
                                        0.01f,
                                        1f,
                                        0f,
                                        5L,
                                        accumulation))) {
            trainer.step(BATCH);
            trainer.step(BATCH);
            return encoder.model()
                    .parameters()
                    .get("encoder.layer.1.output.dense.weight")
                    .toFloatArray();
        }
    }
}
