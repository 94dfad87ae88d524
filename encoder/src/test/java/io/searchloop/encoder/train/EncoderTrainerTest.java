package io.searchloop.encoder.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TinyModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderTrainerTest {
    private static final List<TrainingExample> BATCH = List.of(
            new TrainingExample("steel pipe", "p1", "chimney pipe steel", 1f, List.of(new HardNegative("p9", "paint"))),
            new TrainingExample("drill", "p2", "drill 18v", 0.8f),
            new TrainingExample("wool", "p3", "wool 50", 0.6f));

    private static float[] twoSteps(Path dir, String loss) throws Exception {
        try (SentenceEncoder encoder = SentenceEncoder.load(TinyModels.write(dir, 11), EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU));
             EncoderTrainer trainer = new EncoderTrainer(encoder, new EncoderTrainer.Options(TrainingLoss.named(loss),
                     new LinearSchedule(1e-3f, 1, 2), 0.01f, 1f, 0.1f, 5L))) {
            float[] before = encoder.model().parameters().get("encoder.layer.0.attention.self.query.weight").toFloatArray();
            EncoderTrainer.StepResult first = trainer.step(BATCH);
            EncoderTrainer.StepResult second = trainer.step(BATCH);
            float[] after = encoder.model().parameters().get("encoder.layer.0.attention.self.query.weight").toFloatArray();
            assertThat(after).isNotEqualTo(before);
            assertThat(first.step()).isEqualTo(1);
            assertThat(second.learningRate()).isZero(); // end of the 2-step schedule
            assertThat(first.gradientNorm()).isPositive();
            return new float[] {first.loss(), second.loss()};
        }
    }

    @Test
    void shouldUpdateWeightsAndReportFiniteLossesWithEachLoss(@TempDir Path dir) throws Exception {
        for (String loss : List.of("mnrl", "cosine", "both")) {
            float[] losses = twoSteps(dir.resolve(loss), loss);
            for (float l : losses) {
                assertThat(l).as(loss).isFinite().isGreaterThanOrEqualTo(0f);
            }
        }
    }

    @Test
    void shouldReproduceARunWithTheSameSeed(@TempDir Path dir) throws Exception {
        assertThat(twoSteps(dir.resolve("a"), "mnrl")).containsExactly(twoSteps(dir.resolve("b"), "mnrl"));
    }
}
