package io.searchloop.trainer.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.encoder.train.TrainingLoss;
import org.junit.jupiter.api.Test;

class TrainingOptionsTest {
    @Test
    void shouldUseScoredNegativesOnlyForLossesThatLearnFromScores() {
        assertThat(withLoss(TrainingLoss.Kind.MNRL).usesScores()).isFalse();
        assertThat(withLoss(TrainingLoss.Kind.COSINE).usesScores()).isTrue();
        assertThat(withLoss(TrainingLoss.Kind.BOTH).usesScores()).isTrue();
    }

    private static TrainingOptions withLoss(TrainingLoss.Kind loss) {
        TrainingOptions d = TrainingOptions.defaults();
        return new TrainingOptions(
                loss,
                d.epochs(),
                d.learningRate(),
                d.warmupFraction(),
                d.batchSize(),
                d.maxSteps(),
                d.seed());
    }
}
