package io.searchloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.encoder.train.TrainingLoss;
import io.searchloop.schemas.config.Connections;
import io.searchloop.trainer.finetune.TrainingOptions;
import io.searchloop.trainer.gate.PromotionGate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {
    @Test
    void shouldReadExactlyTheDefaultsFromAnEmptyEnvironment() {
        assertThat(TrainerConfig.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "mock://test")))
                .isEqualTo(
                        TrainerConfig.defaults(
                                Connections.of(
                                        "localhost:9092",
                                        "mock://test",
                                        Connections.LOCAL_DATABASE)));
    }

    @Test
    void shouldChangeOneSettingPerWither() {
        TrainerConfig d =
                TrainerConfig.defaults(
                        Connections.of("k:9092", "mock://test", Connections.LOCAL_DATABASE));
        TrainerConfig changed =
                d.withTrigger(5, Duration.ZERO)
                        .withRound(
                                d.round()
                                        .withTraining(d.round().training().withBatchSize(8))
                                        .withGate(PromotionGate.acceptingEveryCandidate()));
        assertThat(changed.trigger().minNewPairs()).isEqualTo(5);
        assertThat(changed.round().training().batchSize()).isEqualTo(8);
        assertThat(changed.round().training().epochs()).isEqualTo(d.round().training().epochs());
        assertThat(changed.round().gate().minJudgedNdcgGain()).isEqualTo(-1);
        assertThat(changed.withRound(d.round()).withTrigger(2000, Duration.ofMinutes(10)))
                .isEqualTo(d);
    }

    @Test
    void shouldUseScoredNegativesOnlyForLossesThatLearnFromScores() {
        TrainingOptions options = TrainingOptions.defaults();
        assertThat(options.withLoss(TrainingLoss.Kind.MNRL).usesScores()).isFalse();
        assertThat(options.withLoss(TrainingLoss.Kind.COSINE).usesScores()).isTrue();
        assertThat(options.withLoss(TrainingLoss.Kind.BOTH).usesScores()).isTrue();
    }

    @Test
    void shouldDefaultToTheDocumentedGateAndMining() {
        TrainerConfig config = TrainerConfig.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "mock://test"));
        assertThat(config.round().gate()).isEqualTo(PromotionGate.defaults());
        assertThat(config.round().miningRatio()).isEqualTo(0.95);
        assertThat(config.round().miningSkipTopRanks()).isZero();
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort()).isEqualTo(8082);
        assertThat(
                        TrainerConfig.fromEnv(
                                        Map.of(
                                                "SCHEMA_REGISTRY_URL",
                                                "mock://test",
                                                "TRAINER_HTTP_PORT",
                                                "0"))
                                .httpPort())
                .isZero();
    }

    @Test
    void shouldReadTheGateAndMiningKnobs() {
        TrainerConfig config =
                TrainerConfig.fromEnv(
                        withRegistry(
                                Map.of(
                                        "PROMOTE_CONFIDENCE",
                                        "0.9",
                                        "PROMOTE_MIN_NDCG_GAIN",
                                        "0.01",
                                        "PROMOTE_MAX_CATALOG_NDCG_DROP",
                                        "0.03",
                                        "PROMOTE_MAX_CATALOG_RECALL_DROP",
                                        "0.04",
                                        "FORGETTING_MAX_ROUND_DROP",
                                        "0.06",
                                        "FORGETTING_MAX_TOTAL_DROP",
                                        "0.2",
                                        "PROMOTE_BOOTSTRAP_SAMPLES",
                                        "500",
                                        "PROMOTE_BOOTSTRAP_SEED",
                                        "7",
                                        "MINING_RATIO",
                                        "0.9",
                                        "MINING_SKIP_TOP_RANKS",
                                        "3")));
        assertThat(config.round().gate())
                .isEqualTo(new PromotionGate(0.9, 0.01, 0.03, 0.04, 0.06, 0.2, 500, 7));
        assertThat(config.round().miningRatio()).isEqualTo(0.9);
        assertThat(config.round().miningSkipTopRanks()).isEqualTo(3);
    }

    @Test
    void shouldReportEveryBadKnobAtOnce() {
        assertThatThrownBy(
                        () ->
                                TrainerConfig.fromEnv(
                                        Map.of(
                                                "PROMOTE_CONFIDENCE",
                                                "1.5",
                                                "MINING_RATIO",
                                                "0",
                                                "FORGETTING_MAX_ROUND_DROP",
                                                "-0.1")))
                .hasMessageContaining("PROMOTE_CONFIDENCE")
                .hasMessageContaining("MINING_RATIO")
                .hasMessageContaining("FORGETTING_MAX_ROUND_DROP")
                .hasMessageContaining("SCHEMA_REGISTRY_URL is required");
    }

    private static Map<String, String> withRegistry(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("SCHEMA_REGISTRY_URL", "mock://test");
        return all;
    }
}
