package io.searchloop.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseProgressTest {
    @Test
    void shouldShowTheRunningPhaseAndItsWorkAsGaugesAndTellTheListener() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> told = new ArrayList<>();
        PhaseProgress progress =
                new PhaseProgress(
                        "trainer",
                        List.of("encode", "train"),
                        registry,
                        (p, d, t) -> told.add(p + " " + d + "/" + t));
        assertThat(registry.get("searchloop.trainer.phase").tag("phase", "idle").gauge().value())
                .isEqualTo(1);

        progress.begin("encode", 500);
        progress.advance(200);
        progress.add(100);
        assertThat(registry.get("searchloop.trainer.phase").tag("phase", "encode").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("searchloop.trainer.phase").tag("phase", "idle").gauge().value())
                .isZero();
        assertThat(registry.get("searchloop.trainer.phase.done").gauge().value()).isEqualTo(300);
        assertThat(registry.get("searchloop.trainer.phase.planned").gauge().value()).isEqualTo(500);

        progress.end();
        assertThat(registry.get("searchloop.trainer.phase").tag("phase", "idle").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("searchloop.trainer.phase").tag("phase", "encode").gauge().value())
                .isZero();
        assertThat(told)
                .containsExactly("encode 0/500", "encode 200/500", "encode 300/500", "idle 0/0");
    }

    @Test
    void shouldRefuseAPhaseItDidNotDeclare() {
        PhaseProgress progress = PhaseProgress.logOnly("embedder", List.of("encode"));
        assertThatThrownBy(() -> progress.begin("hnsw", 0))
                .hasMessageContaining("embedder has no phase hnsw");
    }
}
