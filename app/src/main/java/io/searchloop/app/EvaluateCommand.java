package io.searchloop.app;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.trainer.eval.CatalogIndex;
import io.searchloop.trainer.eval.Evaluation;
import io.searchloop.trainer.eval.Evaluator;
import io.searchloop.trainer.offline.OfflineData;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures a model's retrieval quality on graded judgements over a whole catalog. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description =
                "Retrieve over the whole catalog (exact cosine) for each query of a qrels file (query, product_id, relevance); "
                        + "print nDCG@10, MRR@10, Recall@10 and Recall@100 as a table and as JSON.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            defaultValue = "base",
            description = "base or a model directory. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(
            names = "--catalog",
            required = true,
            description = "Catalog: .csv, .tsv or .jsonl with id, title (, category, description).")
    Path catalog;

    @Option(
            names = "--qrels",
            required = true,
            description =
                    "Judgements: .csv, .tsv or .jsonl with query, product_id, relevance (graded).")
    Path qrels;

    @Override
    public Integer call() throws Exception {
        Map<String, String> items = OfflineData.catalog(catalog);
        Map<String, String> queryText = new LinkedHashMap<>();
        Map<String, Map<String, Double>> judgements = OfflineData.qrels(qrels, queryText);
        Evaluation evaluation;
        EncoderOptions options = EncoderOptions.defaults();
        try (SentenceEncoder encoder = SentenceEncoder.load(ModelChoice.directory(model), options);
                CatalogIndex index =
                        CatalogIndex.build(
                                encoder, items, SentenceEncoder.chooseDevice(options.device()))) {
            evaluation = Evaluator.evaluate(index, judgements, queryText);
        }
        Map<String, Object> metrics = new LinkedHashMap<>(evaluation.asMap(""));
        metrics.put("queries", evaluation.queries());
        MetricsTable.print(System.out, metrics);
        return 0;
    }
}
