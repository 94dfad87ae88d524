package io.searchloop.trainer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.searchloop.events.ModelStatus;
import io.searchloop.observe.PhaseProgress;
import io.searchloop.trainer.finetune.FineTuner;
import java.util.EnumMap;
import java.util.Map;

/**
 * The trainer's own metrics: the running round's phase and its work ({@link PhaseProgress}, {@code
 * searchloop_trainer_phase*}), the training step, planned steps, last loss, pairs/s and ETA of the
 * running round (kept after it ends, until the next), rounds by verdict, new pairs waiting for the
 * trigger, outbox rows not yet published, and the production version's number.
 */
public final class TrainerMetrics {
    private final PhaseProgress phases;
    private volatile double step;
    private volatile double plannedSteps;
    private volatile double loss = Double.NaN;
    private volatile double pairsPerSecond;
    private volatile double etaSeconds;
    private volatile double newPairs;
    private volatile double outboxUnsent;
    private volatile double productionVersion;
    private final Map<ModelStatus, Counter> rounds = new EnumMap<>(ModelStatus.class);
    private final Counter failedRounds;

    public TrainerMetrics(MeterRegistry registry) {
        this.phases = new PhaseProgress("trainer", TrainingRound.PHASES, registry, null);
        gauge(
                registry,
                "searchloop.trainer.step",
                t -> t.step,
                "Training step the running (or last) round has reached");
        gauge(
                registry,
                "searchloop.trainer.steps.planned",
                t -> t.plannedSteps,
                "Training steps the running (or last) round will take in all");
        gauge(
                registry,
                "searchloop.trainer.loss",
                t -> t.loss,
                "Loss of the latest training step (NaN before the first)");
        gauge(
                registry,
                "searchloop.trainer.pairs.per.second",
                t -> t.pairsPerSecond,
                "Training examples per second in the running (or last) round");
        Gauge.builder("searchloop.trainer.eta", this, t -> t.etaSeconds)
                .baseUnit("seconds")
                .description(
                        "Estimated seconds until the running round's training steps end (0 when none runs)")
                .register(registry);
        gauge(
                registry,
                "searchloop.trainer.pairs.new",
                t -> t.newPairs,
                "Pairs accumulated since the last round, as the trigger last counted them");
        gauge(
                registry,
                "searchloop.trainer.outbox.unsent",
                t -> t.outboxUnsent,
                "Model-version events recorded in the database and not yet published");
        gauge(
                registry,
                "searchloop.trainer.production.version",
                t -> t.productionVersion,
                "Version number of the production model (0 = the base model)");
        for (ModelStatus verdict : new ModelStatus[] {ModelStatus.PROMOTED, ModelStatus.REJECTED}) {
            rounds.put(
                    verdict,
                    Counter.builder("searchloop.trainer.rounds")
                            .tag("verdict", verdict.name())
                            .description(
                                    "Training rounds completed, by verdict (FAILED: ended by an error)")
                            .register(registry));
        }
        this.failedRounds =
                Counter.builder("searchloop.trainer.rounds")
                        .tag("verdict", "FAILED")
                        .description(
                                "Training rounds completed, by verdict (FAILED: ended by an error)")
                        .register(registry);
    }

    private void gauge(
            MeterRegistry registry,
            String name,
            java.util.function.ToDoubleFunction<TrainerMetrics> value,
            String help) {
        Gauge.builder(name, this, value).description(help).register(registry);
    }

    public PhaseProgress phases() {
        return phases;
    }

    /** After each training step. */
    public void step(FineTuner.Progress p) {
        step = p.step();
        plannedSteps = p.totalSteps();
        loss = p.loss();
        pairsPerSecond = p.pairsPerSecond();
        etaSeconds = p.etaSeconds();
    }

    public void roundEnded(ModelStatus verdict) {
        rounds.get(verdict).increment();
        etaSeconds = 0;
    }

    public void roundFailed() {
        failedRounds.increment();
        etaSeconds = 0;
    }

    public void newPairs(long n) {
        newPairs = n;
    }

    public void outboxUnsent(long n) {
        outboxUnsent = n;
    }

    public void productionVersion(int number) {
        productionVersion = number;
    }
}
