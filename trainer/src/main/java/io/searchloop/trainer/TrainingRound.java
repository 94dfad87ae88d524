package io.searchloop.trainer;

import ai.djl.Device;
import io.searchloop.encoder.CatalogVectors;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.InferenceEngine;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.encoder.train.HardNegative;
import io.searchloop.events.PairSource;
import io.searchloop.observe.PhaseProgress;
import io.searchloop.trainer.dataset.Dataset;
import io.searchloop.trainer.dataset.DatasetBuilder;
import io.searchloop.trainer.dataset.HardNegativeMiner;
import io.searchloop.trainer.dataset.HoldoutSplit;
import io.searchloop.trainer.dataset.PairRow;
import io.searchloop.trainer.eval.CatalogIndex;
import io.searchloop.trainer.eval.Evaluation;
import io.searchloop.trainer.eval.Evaluator;
import io.searchloop.trainer.eval.ForgettingGuard;
import io.searchloop.trainer.finetune.FineTuner;
import io.searchloop.trainer.finetune.TrainingOptions;
import io.searchloop.trainer.gate.GateDecision;
import io.searchloop.trainer.gate.PromotionGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training round, the same for the service and the offline CLI: with the production model, mine
 * hard negatives and measure it on the holdout; build the dataset; fine-tune a copy; measure the
 * candidate on the same catalog and queries; run the forgetting guard; decide. The candidate stays
 * open for the caller to save; nothing here writes artifacts or events.
 */
public final class TrainingRound {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRound.class);

    /**
     * Everything a round needs to know. Mining: {@code negativesPerExample} per positive, each
     * under {@code miningRatio} × that positive's similarity, never from the top {@code
     * miningSkipTopRanks} ranks.
     */
    public record Settings(
            HoldoutSplit split,
            double positiveThreshold,
            int negativesPerExample,
            double miningRatio,
            int miningSkipTopRanks,
            TrainingOptions training,
            PromotionGate gate,
            EncoderOptions encoder,
            InferenceEngine catalogEngine) {

        public static Settings defaults() {
            return new Settings(
                    new HoldoutSplit(0.1),
                    0.5,
                    2,
                    0.95,
                    0,
                    TrainingOptions.defaults(),
                    PromotionGate.defaults(),
                    EncoderOptions.defaults(),
                    InferenceEngine.AUTO);
        }

        public Settings withHoldoutFraction(double fraction) {
            return copy(c -> c.split = new HoldoutSplit(fraction));
        }

        public Settings withTraining(TrainingOptions options) {
            return copy(c -> c.training = options);
        }

        public Settings withGate(PromotionGate promotion) {
            return copy(c -> c.gate = promotion);
        }

        public Settings withEncoder(EncoderOptions options) {
            return copy(c -> c.encoder = options);
        }

        /** Which runtime encodes the catalog and the holdout queries for evaluation. */
        public Settings withCatalogEngine(InferenceEngine engine) {
            return copy(c -> c.catalogEngine = engine);
        }

        /** A copy of these settings with the components {@code change} sets. */
        private Settings copy(Consumer<Components> change) {
            Components c = new Components(this);
            change.accept(c);
            return new Settings(
                    c.split,
                    c.positiveThreshold,
                    c.negativesPerExample,
                    c.miningRatio,
                    c.miningSkipTopRanks,
                    c.training,
                    c.gate,
                    c.encoder,
                    c.catalogEngine);
        }

        /** The components of settings being copied, to be changed one by one. */
        private static final class Components {
            private HoldoutSplit split;
            private double positiveThreshold;
            private int negativesPerExample;
            private double miningRatio;
            private int miningSkipTopRanks;
            private TrainingOptions training;
            private PromotionGate gate;
            private EncoderOptions encoder;
            private InferenceEngine catalogEngine;

            Components(Settings from) {
                split = from.split;
                positiveThreshold = from.positiveThreshold;
                negativesPerExample = from.negativesPerExample;
                miningRatio = from.miningRatio;
                miningSkipTopRanks = from.miningSkipTopRanks;
                training = from.training;
                gate = from.gate;
                encoder = from.encoder;
                catalogEngine = from.catalogEngine;
            }
        }
    }

    /**
     * Wall-clock seconds of a round's phases: prepare (encode the catalog with the production
     * model, mine negatives, build the dataset, measure production), train (the optimizer steps
     * only), save (write the trained model's files, those measured and shipped), evaluate (encode
     * the catalog with the candidate, measure it, forgetting guard).
     */
    public record Timings(
            double prepareSeconds,
            double trainSeconds,
            double saveSeconds,
            double evaluateSeconds) {}

    /**
     * What a round found, owning the candidate's files until closed: {@code candidate} is the
     * trained model's directory exactly as measured; {@code candidateVectors} are its catalog
     * embeddings, for the embedder to reuse; {@code productionVectorsReused} counts the items
     * production did not have to encode; {@code evaluationEngine} is the runtime the candidate was
     * measured on ({@code onnx} or {@code pytorch}).
     */
    public record Outcome(
            Saved candidate,
            Dataset dataset,
            Evaluation production,
            Evaluation candidateEvaluation,
            Evaluation productionJudged,
            Evaluation candidateJudged,
            ForgettingGuard.Score forgetting,
            GateDecision decision,
            FineTuner.Result training,
            Timings timings,
            CatalogVectors candidateVectors,
            int productionVectorsReused,
            String evaluationEngine)
            implements AutoCloseable {

        /** Deletes the candidate's files. */
        @Override
        public void close() {
            candidate.close();
        }

        public Map<String, Double> metrics() {
            Map<String, Double> m = new LinkedHashMap<>(candidateEvaluation.asMap(""));
            m.putAll(production.asMap("production_"));
            m.putAll(candidateJudged.asMap("judged_"));
            m.putAll(productionJudged.asMap("production_judged_"));
            m.putAll(decision.figures());
            m.put("forgetting_gold_spearman_en", forgetting.english());
            m.put("forgetting_gold_spearman_ru", forgetting.russian());
            m.put("holdout_queries", (double) candidateEvaluation.queries());
            m.put("train_examples", (double) dataset.train().size());
            m.put("train_steps", (double) training.steps());
            m.put("train_skipped_steps", (double) training.skippedSteps());
            m.put("train_pairs_per_second", training.pairsPerSecond());
            m.put("train_loss", training.meanLastLoss());
            m.put("seconds_prepare", timings.prepareSeconds());
            m.put("seconds_train", timings.trainSeconds());
            m.put("seconds_save", timings.saveSeconds());
            m.put("seconds_evaluate", timings.evaluateSeconds());
            m.put("production_vectors_reused", (double) productionVectorsReused);
            return m;
        }
    }

    /**
     * A round's phases, in order, for {@link PhaseProgress}: the service reads its tables
     * (load_data) and writes the artifact (write_artifact) around the phases {@link #run} reports.
     */
    public static final List<String> PHASES =
            List.of(
                    "load_data",
                    "encode_catalog",
                    "mine_negatives",
                    "evaluate_production",
                    "forgetting_guard",
                    "train",
                    "save_candidate",
                    "encode_catalog_candidate",
                    "evaluate_candidate",
                    "write_artifact");

    private final Settings settings;
    private final ForgettingGuard guard;

    public TrainingRound(Settings settings, ForgettingGuard guard) {
        this.settings = settings;
        this.guard = guard;
    }

    /**
     * Runs one training round, telling {@code phases} of each phase and its work: catalog items
     * encoded, queries mined or evaluated, training steps.
     *
     * @param pairs the accumulated pairs
     * @param catalog product id → product text, the whole catalog to retrieve from
     * @param production the production model's directory (the base model's for the first round)
     * @param productionVectors production's catalog embeddings already computed elsewhere (the
     *     active index; {@link CatalogVectors#none()} if there are none): only items they lack, or
     *     whose text changed since, are encoded with production
     */
    public Outcome run(
            List<PairRow> pairs,
            Map<String, String> catalog,
            Path production,
            CatalogVectors productionVectors,
            Consumer<FineTuner.Progress> progress,
            PhaseProgress phases)
            throws IOException {
        try {
            return runPhases(pairs, catalog, production, productionVectors, progress, phases);
        } finally {
            phases.end();
        }
    }

    private Outcome runPhases(
            List<PairRow> pairs,
            Map<String, String> catalog,
            Path production,
            CatalogVectors productionVectors,
            Consumer<FineTuner.Progress> progress,
            PhaseProgress phases)
            throws IOException {
        long started = System.nanoTime();
        Map<String, String> searchable = new LinkedHashMap<>(catalog);
        pairs.forEach(p -> searchable.putIfAbsent(p.productId(), p.productText()));

        Dataset dataset;
        Evaluation productionEvaluation;
        Evaluation productionJudged;
        ForgettingGuard.Score productionForgetting;
        int productionReused;
        phases.begin("encode_catalog", searchable.size());
        try (TextEncoder current = settings.catalogEngine().open(production, settings.encoder());
                CatalogIndex index =
                        CatalogIndex.build(
                                current, searchable, phases, productionVectors, scoreDevice())) {
            Map<String, Set<String>> positives = new LinkedHashMap<>();
            Map<String, String> queryText = new LinkedHashMap<>();
            for (PairRow p : pairs) {
                // Typo variants are trained with their source query's mined negatives: encoding
                // them would be wasted.
                if (p.score() >= settings.positiveThreshold()
                        && p.source() != PairSource.AUGMENTED_TYPO
                        && !settings.split().isHoldout(p.normalizedQuery())) {
                    positives
                            .computeIfAbsent(p.normalizedQuery(), q -> new HashSet<>())
                            .add(p.productId());
                    queryText.putIfAbsent(p.normalizedQuery(), p.query());
                }
            }
            phases.begin(
                    "mine_negatives", settings.negativesPerExample() == 0 ? 0 : positives.size());
            Map<String, Map<String, List<HardNegative>>> mined =
                    new HardNegativeMiner(
                                    settings.negativesPerExample(),
                                    settings.miningRatio(),
                                    settings.miningSkipTopRanks())
                            .mine(index, positives, queryText, searchable);
            dataset =
                    new DatasetBuilder(
                                    settings.split(),
                                    settings.positiveThreshold(),
                                    settings.negativesPerExample(),
                                    settings.training().usesScores())
                            .build(pairs, mined);
            phases.begin("evaluate_production", evaluatedQueries(dataset));
            productionEvaluation =
                    Evaluator.evaluate(index, dataset.holdout(), dataset.holdoutQueryText());
            productionJudged =
                    Evaluator.evaluateJudged(index, dataset.judged(), dataset.holdoutQueryText());
            phases.begin("forgetting_guard", 0);
            productionForgetting = guard.score(current);
            productionReused = index.reused();
        }
        LOG.info(
                "dataset: {} training examples, {} holdout queries; production ndcg@10 {} (judged products only {})",
                dataset.train().size(),
                dataset.holdout().size(),
                String.format("%.4f", productionEvaluation.ndcg10()),
                String.format("%.4f", productionJudged.ndcg10()));

        long prepared = System.nanoTime();
        long trained;
        FineTuner.Result training;
        Saved candidate = null;
        boolean handedOver = false;
        try {
            try (SentenceEncoder trainee = SentenceEncoder.load(production, settings.encoder())) {
                phases.begin(
                        "train",
                        FineTuner.plannedSteps(dataset.train().size(), settings.training()));
                training =
                        new FineTuner(
                                        settings.training(),
                                        step -> {
                                            phases.advance(step.step());
                                            if (progress != null) {
                                                progress.accept(step);
                                            }
                                        })
                                .train(trainee, dataset.train());
                trained = System.nanoTime();
                // Saved once: these files are what is measured below and what the artifact ships.
                phases.begin("save_candidate", 0);
                candidate = Saved.of(trainee);
            }
            long saved = System.nanoTime();
            Evaluation candidateEvaluation;
            Evaluation candidateJudged;
            phases.begin("encode_catalog_candidate", searchable.size());
            CatalogVectors candidateVectors;
            ForgettingGuard.Score forgetting;
            String evaluationEngine;
            // The candidate is measured as it will be served: loaded from its files on the catalog
            // engine.
            try (TextEncoder evaluated =
                            settings.catalogEngine().open(candidate.dir(), settings.encoder());
                    CatalogIndex index =
                            CatalogIndex.build(
                                    evaluated,
                                    searchable,
                                    phases,
                                    CatalogVectors.none(),
                                    scoreDevice())) {
                candidateVectors = index.vectors();
                evaluationEngine = evaluated.engine();
                phases.begin("evaluate_candidate", evaluatedQueries(dataset));
                candidateEvaluation =
                        Evaluator.evaluate(index, dataset.holdout(), dataset.holdoutQueryText());
                candidateJudged =
                        Evaluator.evaluateJudged(
                                index, dataset.judged(), dataset.holdoutQueryText());
                phases.begin("forgetting_guard", 0);
                forgetting = guard.score(evaluated);
            }
            GateDecision decision =
                    settings.gate()
                            .decide(
                                    candidateJudged,
                                    productionJudged,
                                    candidateEvaluation,
                                    productionEvaluation,
                                    new PromotionGate.Forgetting(
                                            forgetting.spearman(),
                                            productionForgetting.spearman(),
                                            guard.base().spearman()));
            LOG.info(
                    "candidate: {} (whole-catalog ndcg@10 {} vs {})",
                    decision.reason(),
                    String.format("%.4f", candidateEvaluation.ndcg10()),
                    String.format("%.4f", productionEvaluation.ndcg10()));
            Timings timings =
                    new Timings(
                            (prepared - started) / 1e9,
                            (trained - prepared) / 1e9,
                            (saved - trained) / 1e9,
                            (System.nanoTime() - saved) / 1e9);
            Outcome outcome =
                    new Outcome(
                            candidate,
                            dataset,
                            productionEvaluation,
                            candidateEvaluation,
                            productionJudged,
                            candidateJudged,
                            forgetting,
                            decision,
                            training,
                            timings,
                            candidateVectors,
                            productionReused,
                            evaluationEngine);
            handedOver = true;
            return outcome;
        } finally {
            if (!handedOver && candidate != null) { // whatever failed, an Error included
                candidate.close();
            }
        }
    }

    /** Where evaluation scores queries against the catalog: the device ENCODER_DEVICE names. */
    private Device scoreDevice() {
        return SentenceEncoder.chooseDevice(settings.encoder().device());
    }

    /** A trained model's files in a temporary directory, deleted on close. */
    public record Saved(Path dir) implements AutoCloseable {
        static Saved of(SentenceEncoder model) throws IOException {
            Path dir = Files.createTempDirectory("searchloop-candidate-");
            boolean saved = false;
            try {
                model.save(dir);
                saved = true;
                return new Saved(dir);
            } finally {
                if (!saved) { // an Error too: a model-sized directory must not stay behind
                    new Saved(dir).close();
                }
            }
        }

        /** Deletes the directory; a failure is logged, never the round's. */
        @Override
        public void close() {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("cannot delete the candidate's temporary files {}: {}", dir, e.toString());
            }
        }
    }

    /**
     * Queries an evaluation ranks: every holdout query, and each judged query with a relevant
     * product.
     */
    private static long evaluatedQueries(Dataset dataset) {
        return dataset.holdout().size()
                + dataset.judged().values().stream()
                        .filter(g -> g.values().stream().anyMatch(v -> v > 0))
                        .count();
    }
}
