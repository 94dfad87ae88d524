package io.searchloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.events.ModelStatus;
import io.searchloop.observe.ServiceMetrics;
import io.searchloop.trainer.finetune.FineTuner;
import org.junit.jupiter.api.Test;

class TrainerMetricsTest {
    @Test
    void shouldNameEveryTrainerSeriesByPrometheusConventionsWithHelp() {
        try (ServiceMetrics registry = new ServiceMetrics("trainer")) {
            TrainerMetrics metrics = new TrainerMetrics(registry.registry());
            metrics.phases().begin("train", 40);
            metrics.step(new FineTuner.Progress(10, 40, 0.75f, 12.5, 30));
            metrics.phases().advance(10);
            metrics.newPairs(1234);
            metrics.outboxUnsent(2);
            metrics.productionVersion(3);
            String text = registry.scrape();
            String tag = "service=\"trainer\"";
            assertThat(text)
                    .contains("# HELP searchloop_trainer_step Training step")
                    .contains("# TYPE searchloop_trainer_step gauge")
                    .contains("searchloop_trainer_step{" + tag + "} 10.0")
                    .contains("searchloop_trainer_steps_planned{" + tag + "} 40.0")
                    .contains("searchloop_trainer_loss{" + tag + "} 0.75")
                    .contains("searchloop_trainer_pairs_per_second{" + tag + "} 12.5")
                    .contains("searchloop_trainer_eta_seconds{" + tag + "} 30.0")
                    .contains("searchloop_trainer_pairs_new{" + tag + "} 1234.0")
                    .contains("searchloop_trainer_outbox_unsent{" + tag + "} 2.0")
                    .contains("searchloop_trainer_production_version{" + tag + "} 3.0")
                    .contains("searchloop_trainer_phase{phase=\"train\"," + tag + "} 1.0")
                    .contains("searchloop_trainer_phase{phase=\"idle\"," + tag + "} 0.0")
                    .contains("searchloop_trainer_phase_done{" + tag + "} 10.0")
                    .contains("searchloop_trainer_phase_planned{" + tag + "} 40.0")
                    .contains("# TYPE searchloop_trainer_rounds_total counter")
                    .contains(
                            "searchloop_trainer_rounds_total{"
                                    + tag
                                    + ",verdict=\"PROMOTED\"} 0.0");
            for (String phase : TrainingRound.PHASES) {
                assertThat(text)
                        .contains("searchloop_trainer_phase{phase=\"" + phase + "\"," + tag + "}");
            }
            metrics.roundEnded(ModelStatus.PROMOTED);
            metrics.roundFailed();
            metrics.phases().end();
            text = registry.scrape();
            assertThat(text)
                    .contains(
                            "searchloop_trainer_rounds_total{" + tag + ",verdict=\"PROMOTED\"} 1.0")
                    .contains("searchloop_trainer_rounds_total{" + tag + ",verdict=\"FAILED\"} 1.0")
                    .contains(
                            "searchloop_trainer_rounds_total{" + tag + ",verdict=\"REJECTED\"} 0.0")
                    .contains("searchloop_trainer_eta_seconds{" + tag + "} 0.0")
                    .contains("searchloop_trainer_phase{phase=\"idle\"," + tag + "} 1.0");
        }
    }
}
