package io.searchloop.app;

import io.searchloop.encoder.CatalogVectors;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.encoder.train.TrainingLoss;
import io.searchloop.observe.PhaseProgress;
import io.searchloop.trainer.TrainingRound;
import io.searchloop.trainer.artifacts.ModelFiles;
import io.searchloop.trainer.dataset.PairRow;
import io.searchloop.trainer.eval.ForgettingGuard;
import io.searchloop.trainer.finetune.TrainingOptions;
import io.searchloop.trainer.offline.OfflineData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fine-tunes a model from files (expert labels or old logs) and writes the model directory with its
 * metrics.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Fine-tune from a catalog file and a pairs file (query, product_id, score in [0,1]); evaluate on the held-out queries; "
                        + "write a Hugging Face model directory plus metrics.json to --out.")
final class TrainCommand implements Callable<Integer> {
    @Option(
            names = "--catalog",
            required = true,
            description = "Catalog: .csv, .tsv or .jsonl with id, title (, category, description).")
    Path catalog;

    @Option(
            names = "--pairs",
            required = true,
            description = "Pairs: .csv, .tsv or .jsonl with query, product_id, score.")
    Path pairs;

    @Option(
            names = "--out",
            required = true,
            description = "Directory to write the fine-tuned model to (must not exist).")
    Path out;

    @Option(
            names = "--base",
            defaultValue = "base",
            description =
                    "Model to start from: base, an imported base's name, or a model directory. Default: ${DEFAULT-VALUE}.")
    String base;

    @Option(
            names = "--loss",
            defaultValue = "mnrl",
            description = "mnrl, cosine or both. Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--epochs", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--max-steps",
            defaultValue = "0",
            description = "Stop after this many steps (0 = no limit).")
    int maxSteps;

    @Option(
            names = "--learning-rate",
            defaultValue = "2e-5",
            description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(
            names = "--holdout-fraction",
            defaultValue = "0.1",
            description = "Share of queries held out for evaluation. Default: ${DEFAULT-VALUE}.")
    double holdoutFraction;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--gradient-accumulation",
            defaultValue = "1",
            description =
                    "Compute each batch's gradient in this many micro-batches (same step, less memory). Default: ${DEFAULT-VALUE}.")
    int gradientAccumulation;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out)) {
            throw new IllegalArgumentException("--out " + out + " already exists");
        }
        Map<String, String> items = OfflineData.catalog(catalog);
        List<PairRow> rows = OfflineData.pairs(pairs, items);
        TrainingOptions options =
                new TrainingOptions(
                        TrainingLoss.Kind.parse(loss),
                        epochs,
                        learningRate,
                        0.1,
                        batchSize,
                        maxSteps,
                        seed,
                        gradientAccumulation);
        EncoderOptions encoder =
                EncoderOptions.defaults()
                        .withDevice(
                                EncoderOptions.DeviceChoice.valueOf(
                                        device.toUpperCase(Locale.ROOT)));
        TrainingRound.Settings settings =
                TrainingRound.Settings.defaults()
                        .withHoldoutFraction(holdoutFraction)
                        .withTraining(options)
                        .withEncoder(encoder);
        Path start = ModelChoice.directory(base);
        ForgettingGuard guard;
        // The start model is this lineage's base: the guard measures drift from it, whatever model
        // it is.
        try (TextEncoder reference = settings.catalogEngine().open(start, encoder)) {
            guard = new ForgettingGuard(reference);
        }
        // Every phase of the round on its own bar: encoding the catalog, mining, evaluating,
        // training (with loss and ETA), writing.
        ProgressBar bar = new ProgressBar(System.err);
        PhaseProgress phases =
                new PhaseProgress(
                        "trainer",
                        TrainingRound.PHASES,
                        null,
                        (phase, done, planned) -> {
                            if (!phase.equals("train") && !phase.equals(PhaseProgress.IDLE)) {
                                bar.update(phase, done, planned, "");
                            }
                        });
        TrainingRound.Outcome outcome =
                new TrainingRound(settings, guard)
                        .run(
                                rows,
                                items,
                                start,
                                CatalogVectors.none(), // files, not a live index: encode them
                                p ->
                                        bar.update(
                                                "train",
                                                p.step(),
                                                p.totalSteps(),
                                                String.format(
                                                        Locale.ROOT,
                                                        "loss %.4f  %.1f pairs/s  ETA %ds",
                                                        p.loss(),
                                                        p.pairsPerSecond(),
                                                        p.etaSeconds())),
                                phases);
        try (outcome) {
            phases.begin("write_artifact", 0);
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("base", base);
            config.put("loss", loss);
            config.put("epochs", epochs);
            config.put("batchSize", batchSize);
            config.put("maxSteps", maxSteps);
            config.put("learningRate", learningRate);
            config.put("holdoutFraction", holdoutFraction);
            config.put("seed", seed);
            config.put("gradientAccumulation", gradientAccumulation);
            config.put("pairs", rows.size());
            ModelFiles.write(out, outcome.candidate().dir(), outcome.metrics(), config);
            phases.end();
        }
        bar.finish();
        MetricsTable.print(System.out, outcome.metrics());
        System.out.println(
                (outcome.decision().promote()
                                ? "better than the start model: "
                                : "NOT better than the start model: ")
                        + outcome.decision().reason());
        System.out.println("model written to " + out);
        return 0;
    }
}
