package io.searchloop.trainer.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetrainTriggerTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private final RetrainTrigger trigger = new RetrainTrigger(2000, Duration.ofMinutes(10));

    @Test
    void shouldWaitForEnoughNewOrChangedPairs() {
        RetrainTrigger.Verdict waiting = trigger.evaluate(1999, 5000, null, NOW, false);
        assertThat(waiting.fire()).isFalse();
        assertThat(waiting.reason()).isEqualTo("1999 new or changed pairs, waiting for 2000");
        RetrainTrigger.Verdict fired = trigger.evaluate(2000, 5000, null, NOW, false);
        assertThat(fired.fire()).isTrue();
        assertThat(fired.reason()).isEqualTo("2000 new or changed pairs (threshold 2000)");
    }

    @Test
    void shouldKeepTheMinimumIntervalSinceTheLastTraining() {
        assertThat(
                        trigger.evaluate(5000, 5000, NOW.minus(Duration.ofMinutes(5)), NOW, false)
                                .reason())
                .isEqualTo("last training 300 s ago, minimum interval PT10M");
        assertThat(
                        trigger.evaluate(
                                        5000,
                                        5000,
                                        NOW.minus(Duration.ofMinutes(10)).plusMillis(1),
                                        NOW,
                                        false)
                                .fire())
                .isFalse();
        assertThat(
                        trigger.evaluate(5000, 5000, NOW.minus(Duration.ofMinutes(10)), NOW, false)
                                .fire())
                .as("exactly the interval")
                .isTrue();
    }

    @Test
    void shouldFireOnRequestWhateverTheVolumeAndIntervalButNeverWithoutPairs() {
        RetrainTrigger.Verdict requested =
                trigger.evaluate(3, 5000, NOW.minusSeconds(1), NOW, true);
        assertThat(requested.fire()).isTrue();
        assertThat(requested.reason()).isEqualTo("retrain requested");
        RetrainTrigger.Verdict empty = trigger.evaluate(0, 0, null, NOW, true);
        assertThat(empty.fire()).isFalse();
        assertThat(empty.reason()).isEqualTo("no training pairs yet");
    }
}
