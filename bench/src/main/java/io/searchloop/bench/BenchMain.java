package io.searchloop.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./run bench}: runs the benchmarks and prints their tables; JSON goes to bench/results/.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Side-by-side performance figures of searchloop's stages.")
public final class BenchMain implements Callable<Integer> {

    @Option(
            names = "--only",
            description =
                    "One figure: train, loop, quality, encode, reindex, search, lexical (search's lexical engines, hybrid and lexical quality only), vector (search's vector figures, recall and hybrid with the default lexical engine), pairs.")
    String only;

    @Option(
            names = "--quick",
            description =
                    "Small sizes, for checking that the harness works (figures not comparable).")
    boolean quick;

    @Option(
            names = "--results",
            defaultValue = "bench/results",
            description = "Where JSON results go. Default: ${DEFAULT-VALUE}.")
    java.nio.file.Path results;

    @Option(
            names = "--quality-trainer",
            paramLabel = "LABEL=CHECKOUT",
            description =
                    "quality: train with the launcher built in this checkout (app/target); repeat to compare. Default: fine-tuned=.")
    java.util.List<String> qualityTrainers = new java.util.ArrayList<>();

    @Option(
            names = "--quality-model",
            paramLabel = "LABEL=DIR",
            description =
                    "quality: evaluate this model directory instead of training (repeat; one label per group of seeds).")
    java.util.List<String> qualityModels = new java.util.ArrayList<>();

    @Option(
            names = "--quality-pairs",
            defaultValue = "0",
            description =
                    "quality: simulate shoppers until at least this many pairs came out (0: the default traffic).")
    int qualityPairs;

    @Option(
            names = "--quality-data-only",
            description = "quality: only write the catalog, pairs and held-out files.")
    boolean qualityDataOnly;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Results out = new Results(results);
        // The figures that train come first. ONNX Runtime loaded beside PyTorch does not change
        // training (FineTuneIT: identical losses); the loop's trainer and search API load both.
        if (only == null || only.equals("train")) {
            new TrainBenchmark(quick).run(out);
        }
        if (only == null || only.equals("loop")) {
            new LoopBenchmark(quick).run(out);
        }
        if (only == null || only.equals("quality")) {
            new QualityBenchmark(
                            new QualityBenchmark.Settings(
                                    quick,
                                    qualityTrainers,
                                    qualityModels,
                                    qualityPairs,
                                    qualityDataOnly,
                                    results.resolve("quality")))
                    .run(out);
        }
        if (only == null || only.equals("encode")) {
            new EncodeBenchmark(quick).run(out);
        }
        if (only == null || only.equals("reindex")) {
            new ReindexBenchmark(quick).run(out);
        }
        if (only == null || only.equals("search")) {
            new SearchBenchmark(quick, SearchBenchmark.Scope.ALL).run(out);
        }
        if ("lexical".equals(only)) {
            new SearchBenchmark(quick, SearchBenchmark.Scope.LEXICAL).run(out);
        }
        if ("vector".equals(only)) {
            new SearchBenchmark(quick, SearchBenchmark.Scope.VECTOR).run(out);
        }
        if (only == null || only.equals("pairs")) {
            new PairsBenchmark(quick).run(out);
        }
        return 0;
    }
}
