package io.searchloop.trainer.finetune;

import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TrainingMemory;
import io.searchloop.encoder.train.EncoderTrainer;
import io.searchloop.encoder.train.LinearSchedule;
import io.searchloop.encoder.train.TrainingExample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the training loop over a dataset: shuffles the examples each epoch (seeded), cuts them into
 * batches, and drives {@link EncoderTrainer} step by step, reporting progress (step, loss, pairs/s,
 * ETA) to the log and to an optional listener (the CLI's progress bar).
 */
public final class FineTuner {
    private static final Logger LOG = LoggerFactory.getLogger(FineTuner.class);

    /** Progress after a step. */
    public record Progress(
            int step, int totalSteps, float loss, double pairsPerSecond, long etaSeconds) {}

    /**
     * What a training run did: updates applied, and batches whose update was skipped (non-finite
     * gradient).
     */
    public record Result(
            int steps, int skippedSteps, double meanLastLoss, double pairsPerSecond, long millis) {}

    private final TrainingOptions options;
    private final Consumer<Progress> listener;

    public FineTuner(TrainingOptions options, Consumer<Progress> listener) {
        this.options = options;
        this.listener = listener;
    }

    public static int plannedSteps(int examples, TrainingOptions options) {
        int perEpoch = Math.max(1, examples / options.batchSize());
        int total = perEpoch * options.epochs();
        return options.maxSteps() > 0 ? Math.min(total, options.maxSteps()) : total;
    }

    /**
     * Cuts shuffled examples into batches in which no query appears twice (as
     * sentence-transformers' no-duplicates sampler does): the in-batch negatives of a query are
     * then other queries' products. Examples that would repeat a query wait for a later batch; a
     * short final batch is dropped unless it is the only one.
     */
    static List<List<TrainingExample>> batches(List<TrainingExample> shuffled, int batchSize) {
        List<List<TrainingExample>> out = new ArrayList<>();
        List<TrainingExample> pending = new ArrayList<>(shuffled);
        while (!pending.isEmpty()) {
            List<TrainingExample> batch = new ArrayList<>();
            java.util.Set<String> queries = new java.util.HashSet<>();
            java.util.Iterator<TrainingExample> it = pending.iterator();
            while (it.hasNext() && batch.size() < batchSize) {
                TrainingExample e = it.next();
                if (queries.add(e.query())) {
                    batch.add(e);
                    it.remove();
                }
            }
            if (batch.size() < Math.min(2, batchSize)
                    || (batch.size() < batchSize && !out.isEmpty())) {
                break;
            }
            out.add(batch);
        }
        return out;
    }

    /** Fine-tunes {@code model} in place. */
    public Result train(SentenceEncoder model, List<TrainingExample> examples) {
        if (examples.size() < 2) {
            throw new IllegalArgumentException(
                    "need at least 2 training examples, got " + examples.size());
        }
        int total = plannedSteps(examples.size(), options);
        LinearSchedule schedule =
                new LinearSchedule(
                        options.learningRate(),
                        (int) Math.round(total * options.warmupFraction()),
                        total);
        EncoderTrainer.Options trainerOptions =
                new EncoderTrainer.Options(
                        options.loss().create(),
                        schedule,
                        0.01f,
                        1.0f,
                        0.1f,
                        options.seed(),
                        options.gradientAccumulation());
        TrainingMemory.check(
                model,
                examples,
                Math.min(options.batchSize(), examples.size()),
                options.gradientAccumulation());
        Random random = new Random(options.seed());
        long started = System.nanoTime();
        long pairs = 0;
        List<Float> recent = new ArrayList<>();
        int step = 0;
        try (EncoderTrainer trainer = new EncoderTrainer(model, trainerOptions)) {
            while (step < total) {
                List<TrainingExample> shuffled = new ArrayList<>(examples);
                Collections.shuffle(shuffled, random);
                int batchSize = Math.min(options.batchSize(), shuffled.size());
                for (List<TrainingExample> batch : batches(shuffled, batchSize)) {
                    if (step >= total) {
                        break;
                    }
                    SentenceEncoder.stopIfInterrupted("training");
                    EncoderTrainer.StepResult r = trainer.step(batch);
                    step = r.step();
                    if (trainer.skippedSteps() > maxSkippedSteps(total)) {
                        throw new IllegalStateException(
                                "training diverged: "
                                        + trainer.skippedSteps()
                                        + " batches had a non-finite gradient"
                                        + " after "
                                        + step
                                        + " of "
                                        + total
                                        + " steps");
                    }
                    if (r.skipped()) {
                        continue;
                    }
                    pairs += batch.size();
                    recent.add(r.loss());
                    if (recent.size() > 10) {
                        recent.remove(0);
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double rate = pairs / seconds;
                    long eta = (long) ((total - step) * (seconds / step));
                    Progress progress = new Progress(step, total, r.loss(), rate, eta);
                    if (listener != null) {
                        listener.accept(progress);
                    }
                    if (step % 10 == 0 || step == total) {
                        LOG.info(
                                "training step {}/{}: loss {} , {} pairs/s, ETA {} s",
                                step,
                                total,
                                String.format("%.4f", r.loss()),
                                String.format("%.1f", rate),
                                eta);
                    }
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            double meanLoss =
                    recent.stream().mapToDouble(Float::doubleValue).average().orElse(Double.NaN);
            return new Result(
                    step, trainer.skippedSteps(), meanLoss, pairs / (millis / 1000.0), millis);
        }
    }

    /**
     * Skipped batches tolerated in a run: an occasional overflow is survivable, a habit is
     * divergence.
     */
    static int maxSkippedSteps(int totalSteps) {
        return Math.max(2, totalSteps / 10);
    }
}
