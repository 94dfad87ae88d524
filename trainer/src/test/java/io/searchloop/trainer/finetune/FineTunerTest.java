package io.searchloop.trainer.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.encoder.train.TrainingExample;
import io.searchloop.encoder.train.TrainingLoss;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FineTunerTest {

    @Test
    void shouldNeverPutTheSameQueryTwiceInABatch() {
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            examples.add(new TrainingExample("q" + (i % 5), "p" + i, "text " + i, 1f));
        }
        List<List<TrainingExample>> batches = FineTuner.batches(examples, 4);
        assertThat(batches)
                .isNotEmpty()
                .allSatisfy(
                        batch -> {
                            assertThat(batch).hasSize(4);
                            assertThat(
                                            batch.stream()
                                                    .map(TrainingExample::query)
                                                    .distinct()
                                                    .count())
                                    .isEqualTo(4);
                        });
        assertThat(batches.stream().mapToInt(List::size).sum())
                .isLessThanOrEqualTo(40)
                .isGreaterThanOrEqualTo(32);
    }

    @Test
    void shouldPlanStepsFromEpochsAndTheCap() {
        assertThat(
                        FineTuner.plannedSteps(
                                100,
                                new TrainingOptions(
                                        TrainingLoss.Kind.MNRL, 3, 2e-5f, 0.1, 32, 0, 1)))
                .isEqualTo(9);
        assertThat(
                        FineTuner.plannedSteps(
                                100,
                                new TrainingOptions(
                                        TrainingLoss.Kind.MNRL, 3, 2e-5f, 0.1, 32, 5, 1)))
                .isEqualTo(5);
    }
}
