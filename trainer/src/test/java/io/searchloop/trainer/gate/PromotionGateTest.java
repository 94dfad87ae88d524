package io.searchloop.trainer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.trainer.eval.Evaluation;
import io.searchloop.trainer.trigger.RetrainTrigger;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
    private final PromotionGate gate = new PromotionGate(0.01, 0.85);
    private final Evaluation production = new Evaluation(0.40, 0.5, 0.3, 0.8, 20);

    @Test
    void shouldPromoteABetterCandidateThatRemembersLanguage() {
        GateDecision d = gate.decide(new Evaluation(0.45, 0.55, 0.35, 0.85, 20), production, 0.93);
        assertThat(d.promote()).isTrue();
        assertThat(d.reason()).contains("ndcg@10 0.4500 vs 0.4000");
    }

    @Test
    void shouldRejectACandidateThatIsNotBetterEnough() {
        assertThat(gate.decide(new Evaluation(0.405, 0.5, 0.3, 0.8, 20), production, 0.95).promote()).isFalse();
        assertThat(gate.decide(new Evaluation(0.30, 0.5, 0.3, 0.8, 20), production, 0.95).reason()).startsWith("not better than production");
    }

    @Test
    void shouldRejectACandidateThatForgotGeneralLanguage() {
        GateDecision d = gate.decide(new Evaluation(0.60, 0.7, 0.5, 0.9, 20), production, 0.70);
        assertThat(d.promote()).isFalse();
        assertThat(d.reason()).startsWith("forgetting guard failed");
    }

    @Test
    void shouldRejectWithoutHoldoutQueries() {
        assertThat(gate.decide(new Evaluation(0, 0, 0, 0, 0), new Evaluation(0, 0, 0, 0, 0), 1).promote()).isFalse();
    }

    @Test
    void shouldFireTheTriggerOnVolumeAfterTheIntervalOrOnRequest() {
        RetrainTrigger trigger = new RetrainTrigger(2000, Duration.ofMinutes(10));
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        assertThat(trigger.evaluate(1999, 5000, null, now, false).fire()).isFalse();
        assertThat(trigger.evaluate(2000, 5000, null, now, false).fire()).isTrue();
        assertThat(trigger.evaluate(5000, 5000, now.minus(Duration.ofMinutes(5)), now, false).fire()).isFalse();
        assertThat(trigger.evaluate(5000, 5000, now.minus(Duration.ofMinutes(11)), now, false).fire()).isTrue();
        assertThat(trigger.evaluate(3, 5000, now.minusSeconds(1), now, true).fire()).isTrue();
        assertThat(trigger.evaluate(0, 0, null, now, true).fire()).as("nothing to train on").isFalse();
    }
}
