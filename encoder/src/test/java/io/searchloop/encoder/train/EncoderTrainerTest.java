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
    private static final List<TrainingExample> BATCH =
            List.of(
                    new TrainingExample(
                            "steel pipe",
                            "p1",
                            "chimney pipe steel",
                            1f,
                            List.of(new HardNegative("p9", "paint"))),
                    new TrainingExample("drill", "p2", "drill 18v", 0.8f),
                    new TrainingExample("wool", "p3", "wool 50", 0.6f));

    private static float[] twoSteps(Path dir, String loss) throws Exception {
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
                                        0.1f,
                                        5L))) {
            float[] before =
                    encoder.model()
                            .parameters()
                            .get("encoder.layer.0.attention.self.query.weight")
                            .toFloatArray();
            EncoderTrainer.StepResult first = trainer.step(BATCH);
            EncoderTrainer.StepResult second = trainer.step(BATCH);
            float[] after =
                    encoder.model()
                            .parameters()
                            .get("encoder.layer.0.attention.self.query.weight")
                            .toFloatArray();
            assertThat(after).isNotEqualTo(before);
            assertThat(first.step()).isEqualTo(1);
            assertThat(second.learningRate())
                    .as("the last step of the schedule still trains")
                    .isPositive();
            assertThat(first.skipped()).isFalse();
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
        assertThat(twoSteps(dir.resolve("a"), "mnrl"))
                .containsExactly(twoSteps(dir.resolve("b"), "mnrl"));
    }

    @Test
    void shouldHoldTheSameLiveArraysAfterStepThreeAndStepFifty(@TempDir Path dir) throws Exception {
        try (SentenceEncoder encoder = tiny(dir);
                EncoderTrainer trainer =
                        new EncoderTrainer(
                                encoder, options(TrainingLoss.named("both"), 50, 0.1f))) {
            int modelArraysBefore = encoder.model().manager().getManagedArrays().size();
            int[] live = new int[51];
            int[] model = new int[51];
            for (int i = 1; i <= 50; i++) {
                trainer.step(BATCH);
                live[i] = trainer.liveStateArrays();
                model[i] = encoder.model().manager().getManagedArrays().size();
            }
            assertThat(live[50]).as("optimizer state after step 50 vs step 3").isEqualTo(live[3]);
            assertThat(live[3])
                    .as("two moments per parameter")
                    .isEqualTo(2 * encoder.model().parameters().size());
            assertThat(model[50])
                    .as("every array under the model's manager after step 50 vs step 3")
                    .isEqualTo(model[3]);
            assertThat(model[3])
                    .as("arrays under the model's manager after step 3 vs before the first step")
                    .isEqualTo(modelArraysBefore);
        }
    }

    @Test
    void shouldLeaveWeightsScheduleAndBiasCorrectionUntouchedWhenAStepIsSkipped(@TempDir Path dir)
            throws Exception {
        List<TrainingExample> other = List.of(BATCH.get(1), BATCH.get(2), BATCH.get(0));
        float[] clean;
        try (SentenceEncoder encoder = tiny(dir.resolve("clean"));
                EncoderTrainer trainer =
                        new EncoderTrainer(encoder, options(TrainingLoss.named("mnrl"), 3, 0f))) {
            trainer.step(BATCH);
            trainer.step(other);
            clean = encoder.model().parameters().get(PROBE).toFloatArray();
        }
        PoisonOnce poison = new PoisonOnce(TrainingLoss.named("mnrl"));
        try (SentenceEncoder encoder = tiny(dir.resolve("poisoned"));
                EncoderTrainer trainer = new EncoderTrainer(encoder, options(poison, 3, 0f))) {
            EncoderTrainer.StepResult first = trainer.step(BATCH);
            float[] afterFirst = encoder.model().parameters().get(PROBE).toFloatArray();
            poison.armed = true;
            EncoderTrainer.StepResult skipped = trainer.step(other);
            assertThat(skipped.skipped()).isTrue();
            assertThat(skipped.gradientNorm()).isNaN();
            assertThat(skipped.step())
                    .as("a skipped step is not counted")
                    .isEqualTo(first.step())
                    .isEqualTo(1);
            assertThat(trainer.skippedSteps()).isEqualTo(1);
            assertThat(encoder.model().parameters().get(PROBE).toFloatArray())
                    .isEqualTo(afterFirst);
            EncoderTrainer.StepResult second = trainer.step(other);
            assertThat(second.step()).isEqualTo(2);
            assertThat(second.learningRate()).isEqualTo(skipped.learningRate());
            assertThat(encoder.model().parameters().get(PROBE).toFloatArray())
                    .as("the same weights as a run that never saw the skipped step")
                    .containsExactly(clean);
        }
    }

    @Test
    void shouldNotDecayParametersThatGotNoGradient(@TempDir Path dir) throws Exception {
        try (SentenceEncoder encoder = tiny(dir);
                EncoderTrainer trainer =
                        new EncoderTrainer(encoder, options(TrainingLoss.named("mnrl"), 5, 0.1f))) {
            float[] pooler = encoder.model().parameters().get("pooler.dense.weight").toFloatArray();
            float[] used = encoder.model().parameters().get(PROBE).toFloatArray();
            for (int i = 0; i < 5; i++) {
                trainer.step(BATCH);
            }
            assertThat(encoder.model().parameters().get("pooler.dense.weight").toFloatArray())
                    .containsExactly(pooler);
            assertThat(encoder.model().parameters().get(PROBE).toFloatArray()).isNotEqualTo(used);
        }
    }

    private static final String PROBE = "encoder.layer.0.attention.self.query.weight";

    private static SentenceEncoder tiny(Path dir) throws Exception {
        return SentenceEncoder.load(
                TinyModels.write(dir, 11),
                EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU));
    }

    /**
     * Weight decay 0.1 makes a wrongly decayed parameter visible; dropout 0 makes runs comparable.
     */
    private static EncoderTrainer.Options options(TrainingLoss loss, int steps, float weightDecay) {
        return new EncoderTrainer.Options(
                loss, new LinearSchedule(1e-3f, 1, steps), weightDecay, 1f, 0f, 5L);
    }

    /**
     * A loss that, once armed, multiplies one batch's loss by NaN: a non-finite gradient on demand.
     */
    private static final class PoisonOnce implements TrainingLoss {
        private final TrainingLoss inner;
        private boolean armed;

        PoisonOnce(TrainingLoss inner) {
            this.inner = inner;
        }

        @Override
        public ai.djl.ndarray.NDArray compute(TrainingBatch batch) {
            ai.djl.ndarray.NDArray loss = inner.compute(batch);
            if (!armed) {
                return loss;
            }
            armed = false;
            return loss.mul(io.searchloop.encoder.model.Scalars.of(loss, Float.NaN));
        }
    }
}
