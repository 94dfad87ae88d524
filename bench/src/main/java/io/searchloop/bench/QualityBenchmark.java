package io.searchloop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.events.CatalogItem;
import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import io.searchloop.schemas.keys.ProductText;
import io.searchloop.testkit.simulator.Catalog;
import io.searchloop.testkit.simulator.QueryFamily;
import io.searchloop.testkit.simulator.ShopperQueries;
import io.searchloop.testkit.simulator.Shoppers;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Figure 7: does fine-tuning on shoppers' pairs make search better for phrasings no shopper issued?
 * The simulator's catalog and shoppers; pairs made by the real pair-builder topology from simulated
 * searches (ranked by the base model) and clicks (by the hidden oracle); training by {@code ./run
 * train} itself in a child JVM (so a checkout of other code trains the same way); oracle nDCG@10
 * over the whole catalog on held-out phrasings, per query family, base vs each trained model, mean
 * ± sd over seeds. It can also only evaluate model directories trained before.
 */
final class QualityBenchmark {
    private static final long CATALOG_SEED = 2026;
    private static final long SHOPPER_SEED = 7;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param trainers label=checkout: train with that checkout's built launcher (app/target)
     * @param models label=model directory: evaluate these instead of training
     * @param minPairs simulate shoppers until at least this many pairs came out (0: the default
     *     traffic)
     * @param dataOnly write the catalog, pairs and held-out files, and stop
     */
    record Settings(
            boolean quick,
            List<String> trainers,
            List<String> models,
            int minPairs,
            boolean dataOnly,
            Path dir) {}

    /** One trained (or given) model: its label, seed, directory, and what its round reported. */
    private record Trained(
            String label,
            String seed,
            Path dir,
            String gate,
            String skippedSteps,
            String steps,
            String peakRssMiB) {}

    private final Settings settings;

    QualityBenchmark(Settings settings) {
        this.settings = settings;
    }

    void run(Results results) throws Exception {
        boolean quick = settings.quick();
        Catalog catalog = Catalog.generate(quick ? 420 : 1_260, CATALOG_SEED);
        Shoppers shoppers = new Shoppers(catalog, SHOPPER_SEED);
        List<CatalogItem> items = catalog.items().stream().map(LoopBenchmark::item).toList();
        List<String> texts = items.stream().map(i -> ProductText.of(i, List.of())).toList();
        List<ShopperQueries.Query> heldOut = shoppers.neverIssued();
        Path data = settings.dir();
        Files.createDirectories(data);

        EncoderOptions options =
                EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU);
        boolean simulate = settings.models().isEmpty();
        Map<String, double[]> base;
        ShopperPairs.Outcome traffic = null;
        try (SentenceEncoder encoder = SentenceEncoder.base(options)) {
            float[][] catalogVectors = encoder.encode(texts);
            base = evaluate(encoder, catalogVectors, heldOut, shoppers, items);
            if (simulate) {
                traffic = shop(encoder, catalogVectors, shoppers, items);
            }
        }
        Path catalogFile = data.resolve("catalog.csv");
        Path pairsFile = data.resolve("pairs.csv");
        List<Trained> trained;
        String pairsNote;
        if (simulate) {
            List<TrainingPair> pairs =
                    traffic.pairs().stream()
                            .filter(p -> p.getSource() == PairSource.INTERACTIONS)
                            .toList();
            writeCatalog(catalogFile, catalog);
            writePairs(pairsFile, pairs);
            writeHeldOut(data.resolve("heldout.csv"), heldOut);
            pairsNote =
                    pairs.size()
                            + " pair-builder pairs (source INTERACTIONS, default PairSettings; "
                            + pairs.stream().filter(p -> p.getScore() >= 0.5).count()
                            + " with score >= 0.5) from "
                            + traffic.searches()
                            + " simulated searches and "
                            + traffic.interactions()
                            + " interactions; "
                            + (traffic.pairs().size() - pairs.size())
                            + " typo-variant pairs left out; "
                            + pairsFile;
            System.out.println("[quality] " + pairsNote);
            if (settings.dataOnly()) {
                return;
            }
            trained = train(catalogFile, pairsFile);
        } else {
            pairsNote = "as the given models were trained";
            trained = given();
        }
        Map<String, List<Map<String, double[]>>> byLabel = new LinkedHashMap<>();
        List<List<Object>> rounds = new ArrayList<>();
        for (Trained t : trained) {
            try (SentenceEncoder model = SentenceEncoder.load(t.dir(), options)) {
                Map<String, double[]> scores =
                        evaluate(model, model.encode(texts), heldOut, shoppers, items);
                byLabel.computeIfAbsent(t.label(), l -> new ArrayList<>()).add(scores);
                rounds.add(
                        List.of(
                                t.label(),
                                t.seed(),
                                scores.get("all")[0],
                                scores.get("all")[0] - base.get("all")[0],
                                t.gate(),
                                t.steps(),
                                t.skippedSteps(),
                                t.peakRssMiB(),
                                t.dir().toString()));
            }
        }

        List<String> columns = new ArrayList<>(List.of("family", "queries", "base"));
        byLabel.keySet().forEach(columns::add);
        List<List<Object>> rows = new ArrayList<>();
        for (String family : base.keySet()) {
            List<Object> row =
                    new ArrayList<>(
                            List.of(
                                    family,
                                    (int) base.get(family)[1],
                                    String.format(Locale.ROOT, "%.4f", base.get(family)[0])));
            byLabel.values()
                    .forEach(
                            runs ->
                                    row.add(
                                            meanSd(
                                                    runs.stream()
                                                            .mapToDouble(r -> r.get(family)[0])
                                                            .toArray())));
            rows.add(row);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(
                "catalog",
                catalog.items().size()
                        + " items (testkit Catalog, seed "
                        + CATALOG_SEED
                        + ")"
                        + (simulate ? ", " + catalogFile : ""));
        extra.put("pairs", pairsNote);
        extra.put(
                "held-out",
                heldOut.size()
                        + " phrasings no shopper issued, scored with the oracle over the whole catalog (nDCG@10, gain grade/3)");
        extra.put(
                "training",
                settings.models().isEmpty()
                        ? "./run train " + String.join(" ", trainArguments()) + " --seed S"
                        : "given model directories");
        results.publish(
                "quality",
                "Quality: oracle nDCG@10 on held-out phrasings, base vs fine-tuned on shoppers' pairs (mean ± sd over seeds)",
                columns,
                rows,
                extra);
        results.publish(
                "quality-rounds",
                "Quality: each trained model — overall nDCG@10, its round's gate decision and skipped steps",
                List.of(
                        "model",
                        "seed",
                        "nDCG@10",
                        "vs base",
                        "gate",
                        "steps",
                        "skipped steps",
                        "peak RSS MiB",
                        "directory"),
                rounds,
                Map.of());
    }

    /**
     * Shoppers search (ranked by the base model) and click (by the oracle); their events go through
     * the pair-builder.
     */
    private ShopperPairs.Outcome shop(
            SentenceEncoder base,
            float[][] catalogVectors,
            Shoppers shoppers,
            List<CatalogItem> items)
            throws Exception {
        List<String> asked =
                shoppers.issued().stream().map(ShopperQueries.Query::text).distinct().toList();
        float[][] queryVectors = base.encode(asked);
        // The shop's ~440 phrasings and ten results each bound the distinct pairs to a few hundred:
        // for more, a long scrolled page.
        int shownPerSearch = settings.minPairs() > 0 ? 50 : 10;
        Map<String, List<String>> shown = new LinkedHashMap<>();
        for (int q = 0; q < asked.size(); q++) {
            shown.put(
                    asked.get(q),
                    top(queryVectors[q], catalogVectors, shownPerSearch).stream()
                            .map(i -> items.get(i).getId())
                            .toList());
        }
        int sessions = settings.quick() ? 1_500 : 12_000;
        return ShopperPairs.simulate(
                shoppers,
                items,
                shown::get,
                sessions,
                settings.minPairs(),
                Math.max(sessions, settings.minPairs() * 20),
                SHOPPER_SEED);
    }

    private List<String> trainArguments() {
        return settings.quick()
                ? List.of("--epochs", "1", "--max-steps", "3", "--learning-rate", "5e-5")
                : List.of("--epochs", "1", "--max-steps", "12", "--learning-rate", "5e-5");
    }

    /** Trains with each checkout's {@code ./run train} launcher, one child JVM per seed. */
    private List<Trained> train(Path catalogFile, Path pairsFile) throws Exception {
        Path models =
                settings.dir()
                        .resolve("models")
                        .resolve(
                                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                                        .withZone(ZoneOffset.UTC)
                                        .format(Instant.now()));
        Files.createDirectories(models);
        List<String> trainers =
                settings.trainers().isEmpty() ? List.of("fine-tuned=.") : settings.trainers();
        int seeds = settings.quick() ? 1 : 3;
        List<Trained> out = new ArrayList<>();
        // Seed by seed, every trainer in turn: a run cut short still compares like with like.
        for (int seed = 1; seed <= seeds; seed++) {
            for (String trainer : trainers) {
                String[] labelRoot = labelled(trainer, "--quality-trainer");
                Path root = Path.of(labelRoot[1]).toAbsolutePath().normalize();
                Path dir = models.resolve(labelRoot[0] + "-seed" + seed);
                List<String> command =
                        new ArrayList<>(
                                List.of(
                                        Path.of(System.getProperty("java.home"), "bin", "java")
                                                .toString(),
                                        "-Xmx3g",
                                        "-Dai.djl.offline=true",
                                        "-cp",
                                        root.resolve("app/target/searchloop.jar")
                                                + ":"
                                                + root.resolve("app/target/lib/*"),
                                        "io.searchloop.app.Main",
                                        "train",
                                        "--catalog",
                                        catalogFile.toAbsolutePath().toString(),
                                        "--pairs",
                                        pairsFile.toAbsolutePath().toString(),
                                        "--out",
                                        dir.toAbsolutePath().toString(),
                                        "--seed",
                                        Integer.toString(seed)));
                command.addAll(trainArguments());
                Path log = models.resolve(labelRoot[0] + "-seed" + seed + ".log");
                System.out.println(
                        "[quality] training "
                                + dir.getFileName()
                                + " with "
                                + root
                                + " (log: "
                                + log
                                + ")");
                Process process =
                        new ProcessBuilder(command)
                                .redirectErrorStream(true)
                                .redirectOutput(log.toFile())
                                .start();
                long peakKiB = 0;
                long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(60);
                while (!process.waitFor(1, TimeUnit.SECONDS)) {
                    peakKiB = Math.max(peakKiB, peakRssKiB(process.pid()));
                    if (System.currentTimeMillis() > deadline) {
                        process.destroyForcibly();
                        throw new IllegalStateException(
                                "training " + dir + " took over 60 minutes; see " + log);
                    }
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(
                            "training "
                                    + dir
                                    + " failed (exit "
                                    + process.exitValue()
                                    + "); see "
                                    + log);
                }
                String gate = gateDecision(log);
                JsonNode metrics = JSON.readTree(dir.resolve("metrics.json").toFile());
                out.add(
                        new Trained(
                                labelRoot[0],
                                Integer.toString(seed),
                                dir,
                                gate,
                                metricOrNone(metrics, "train_skipped_steps"),
                                metricOrNone(metrics, "train_steps"),
                                Long.toString(peakKiB / 1024)));
                System.out.println("[quality] " + dir.getFileName() + ": " + gate);
            }
        }
        return out;
    }

    private List<Trained> given() {
        List<Trained> out = new ArrayList<>();
        for (String model : settings.models()) {
            String[] labelDir = labelled(model, "--quality-model");
            Path dir = Path.of(labelDir[1]);
            Path log = dir.resolveSibling(dir.getFileName() + ".log");
            String gate = Files.exists(log) ? gateDecision(log) : "-";
            String skipped = "-";
            String steps = "-";
            try {
                JsonNode metrics = JSON.readTree(dir.resolve("metrics.json").toFile());
                skipped = metricOrNone(metrics, "train_skipped_steps");
                steps = metricOrNone(metrics, "train_steps");
            } catch (IOException noMetrics) {
                // a model directory without the trainer's metrics.json is evaluated all the same
            }
            out.add(
                    new Trained(
                            labelDir[0],
                            dir.getFileName().toString(),
                            dir,
                            gate,
                            skipped,
                            steps,
                            "-"));
        }
        return out;
    }

    /** The decision line {@code ./run train} prints, from its log. */
    private static String gateDecision(Path log) {
        try {
            return Files.readAllLines(log).stream()
                    .filter(l -> l.contains("better than the start model: "))
                    .findFirst()
                    .map(
                            l ->
                                    (l.startsWith("NOT") ? "refused: " : "promoted: ")
                                            + l.substring(l.indexOf(": ") + 2))
                    .orElse("?");
        } catch (IOException unreadable) {
            return "?";
        }
    }

    private static String[] labelled(String value, String option) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new IllegalArgumentException(option + " takes LABEL=PATH, got '" + value + "'");
        }
        return new String[] {value.substring(0, eq), value.substring(eq + 1)};
    }

    private static String metricOrNone(JsonNode metrics, String name) {
        return metrics.has(name)
                ? Long.toString(Math.round(metrics.get(name).asDouble()))
                : "not recorded";
    }

    private static long peakRssKiB(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst()
                    .orElse(0);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /**
     * family (and "all") → [mean nDCG@10, queries] of the model's whole-catalog ranking of each
     * held-out phrasing.
     */
    private static Map<String, double[]> evaluate(
            SentenceEncoder model,
            float[][] catalogVectors,
            List<ShopperQueries.Query> heldOut,
            Shoppers shoppers,
            List<CatalogItem> items) {
        float[][] queryVectors =
                model.encode(heldOut.stream().map(ShopperQueries.Query::text).toList());
        return ndcgByFamily(
                heldOut,
                shoppers,
                q ->
                        top(queryVectors[q], catalogVectors, 10).stream()
                                .map(i -> items.get(i).getId())
                                .toList());
    }

    /**
     * family (and "all") → [mean oracle nDCG@10 (gain grade/3), queries] of the product ids {@code
     * ranked} returns for each held-out phrasing (by its position in {@code heldOut}), best first.
     */
    static Map<String, double[]> ndcgByFamily(
            List<ShopperQueries.Query> heldOut,
            Shoppers shoppers,
            java.util.function.IntFunction<List<String>> ranked) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        sums.put("all", new double[2]);
        for (QueryFamily family : QueryFamily.values()) {
            sums.put(family.name().toLowerCase(Locale.ROOT), new double[2]);
        }
        for (int q = 0; q < heldOut.size(); q++) {
            ShopperQueries.Query query = heldOut.get(q);
            List<String> ids = ranked.apply(q);
            double ndcg = shoppers.metrics(query.intent(), shoppers.grades(query.intent(), ids))[0];
            for (String key : List.of("all", query.family().name().toLowerCase(Locale.ROOT))) {
                sums.get(key)[0] += ndcg;
                sums.get(key)[1]++;
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, new double[] {s[1] == 0 ? 0 : s[0] / s[1], s[1]}));
        return out;
    }

    /**
     * Indices of the {@code k} rows of {@code vectors} with the highest dot product with {@code
     * query} (ties: lower index first).
     */
    static List<Integer> top(float[] query, float[][] vectors, int k) {
        double[] scores = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            double dot = 0;
            for (int d = 0; d < query.length; d++) {
                dot += query[d] * vectors[i][d];
            }
            scores[i] = dot;
        }
        return java.util.stream.IntStream.range(0, vectors.length)
                .boxed()
                .sorted(
                        (a, b) ->
                                scores[a] != scores[b]
                                        ? Double.compare(scores[b], scores[a])
                                        : Integer.compare(a, b))
                .limit(k)
                .toList();
    }

    static String meanSd(double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
        if (values.length < 2) {
            return String.format(Locale.ROOT, "%.4f", mean);
        }
        double sd =
                Math.sqrt(
                        java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum()
                                / (values.length - 1));
        return String.format(Locale.ROOT, "%.4f ± %.4f", mean, sd);
    }

    static void writeCatalog(Path file, Catalog catalog) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("id", "title", "category", "type", "material"));
        catalog.items()
                .forEach(
                        i ->
                                rows.add(
                                        List.of(
                                                i.id(),
                                                i.title(),
                                                i.type().category(),
                                                i.type().key(),
                                                i.material())));
        writeCsv(file, rows);
    }

    static void writePairs(Path file, List<TrainingPair> pairs) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("query", "product_id", "score"));
        pairs.forEach(
                p ->
                        rows.add(
                                List.of(
                                        p.getQuery(),
                                        p.getProductId(),
                                        String.format(Locale.ROOT, "%.6f", p.getScore()))));
        writeCsv(file, rows);
    }

    private static void writeHeldOut(Path file, List<ShopperQueries.Query> heldOut)
            throws IOException {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("query", "family", "type", "material"));
        heldOut.forEach(
                q ->
                        rows.add(
                                List.of(
                                        q.text(),
                                        q.family().name().toLowerCase(Locale.ROOT),
                                        q.intent().type().key(),
                                        q.intent().material() == null
                                                ? ""
                                                : q.intent().material())));
        writeCsv(file, rows);
    }

    /** CSV the offline tools read: every field quoted, a quote inside doubled. */
    private static void writeCsv(Path file, List<List<String>> rows) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (List<String> row : rows) {
                out.write(
                        String.join(
                                ",",
                                row.stream()
                                        .map(v -> "\"" + v.replace("\"", "\"\"") + "\"")
                                        .toList()));
                out.write('\n');
            }
        }
    }
}
