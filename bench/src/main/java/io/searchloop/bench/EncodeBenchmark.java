package io.searchloop.bench;

import ai.djl.pytorch.jni.JniUtils;
import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.OnnxSentenceEncoder;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.TextEncoder;
import io.searchloop.encoder.train.EncoderTrainer;
import io.searchloop.encoder.train.LinearSchedule;
import io.searchloop.encoder.train.TrainingExample;
import io.searchloop.encoder.train.TrainingLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figure 1: sentences/s of the DJL encoder against ONNX Runtime on the same catalog titles, same
 * tokenizer and pooling, per batch size and intra-op thread count. Both run in this JVM, one after
 * the other for each setting, after a warm-up; the ratio is DJL / ONNX Runtime. Then the query path
 * with a fine-tuned model on both runtimes ({@code encode-query}).
 */
final class EncodeBenchmark {
    /** Calls one runtime makes before the other takes its turn ({@link #perCall}). */
    private static final int TURN = 16;

    private final boolean quick;

    EncodeBenchmark(boolean quick) {
        this.quick = quick;
    }

    void run(Results results) throws Exception {
        Path tuned = Files.createTempDirectory("encode-tuned");
        try {
            fineTune(tuned); // trains before ONNX Runtime is loaded, as BenchMain orders it
            compare(results);
            serve(results, tuned.resolve("model"));
        } finally {
            deleteTree(tuned);
        }
    }

    private void compare(Results results) throws Exception {
        List<String> titles = CatalogTitles.generate(quick ? 200 : 2000, 7);
        List<List<Object>> rows = new ArrayList<>();
        int[] batches = quick ? new int[] {32} : new int[] {1, 32, 128};
        for (int threads : new int[] {1, 2}) {
            for (int batch : batches) {
                List<String> texts = batch == 1 && !quick ? titles.subList(0, 500) : titles;
                EncoderOptions options =
                        EncoderOptions.defaults()
                                .withDevice(EncoderOptions.DeviceChoice.CPU)
                                .withBatchSize(batch)
                                .withThreads(threads);
                try (SentenceEncoder djl = SentenceEncoder.base(options);
                        OnnxSentenceEncoder ort =
                                OnnxSentenceEncoder.load(BaseModel.directory(), options)) {
                    JniUtils.setNumThreads(threads);
                    djl.encode(texts.subList(0, Math.min(64, texts.size())));
                    ort.encode(texts.subList(0, Math.min(64, texts.size())));
                    double djlRate = rate(texts.size(), () -> djl.encode(texts));
                    double ortRate = rate(texts.size(), () -> ort.encode(texts));
                    rows.add(
                            List.of(
                                    threads,
                                    batch,
                                    texts.size(),
                                    djlRate,
                                    ortRate,
                                    djlRate / ortRate));
                }
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("goal", "DJL >= 1.0x ONNX Runtime at batch 32");
        results.publish(
                "encode",
                "Encode: sentences/s, DJL PyTorch vs ONNX Runtime (all-MiniLM-L6-v2, same tokenizer and pooling)",
                List.of("threads", "batch", "texts", "djl/s", "onnxruntime/s", "djl/ort"),
                rows,
                extra);
    }

    /**
     * A fine-tuned model, as the trainer makes one: a few real mnrl steps on the base (the weights
     * move; their speed is what matters here), saved as a model directory under {@code dir}.
     */
    private static void fineTune(Path dir) throws Exception {
        List<String> titles = CatalogTitles.generate(96, 13);
        List<TrainingExample> pairs = new ArrayList<>();
        for (int i = 0; i < titles.size(); i++) {
            String query = titles.get(i).toLowerCase(Locale.ROOT).split(",", -1)[0];
            pairs.add(new TrainingExample(query, "p" + i, titles.get(i), 1f));
        }
        int batch = 16;
        int steps = pairs.size() / batch;
        EncoderOptions options =
                EncoderOptions.defaults()
                        .withDevice(EncoderOptions.DeviceChoice.CPU)
                        .withBatchSize(batch);
        try (SentenceEncoder encoder = SentenceEncoder.base(options);
                EncoderTrainer trainer =
                        new EncoderTrainer(
                                encoder,
                                new EncoderTrainer.Options(
                                        TrainingLoss.named("mnrl"),
                                        new LinearSchedule(1e-4f, 1, steps),
                                        0.01f,
                                        1f,
                                        0.1f,
                                        13L))) {
            for (int s = 0; s < steps; s++) {
                trainer.step(pairs.subList(s * batch, (s + 1) * batch));
            }
            encoder.save(dir.resolve("model"));
        }
    }

    /**
     * The query path with the fine-tuned model: the same directory on PyTorch and on ONNX Runtime
     * (as served, and with ONNX Runtime's default idle-thread spinning), 2 intra-op threads each,
     * shopper-like queries one per call and 32 per call, the engines taking turns; queries/s,
     * per-call latency and process CPU time per query after a warm-up, and the lowest cosine
     * between the two engines' embeddings.
     */
    private void serve(Results results, Path tuned) throws Exception {
        List<String> queries = SearchBenchmark.queries(quick ? 256 : 640);
        List<List<Object>> rows = new ArrayList<>();
        int threads = 2;
        for (int batch : new int[] {1, 32}) {
            EncoderOptions options =
                    EncoderOptions.defaults()
                            .withDevice(EncoderOptions.DeviceChoice.CPU)
                            .withBatchSize(batch)
                            .withThreads(threads);
            double[][] figures;
            double lowest = 1;
            try (SentenceEncoder djl = SentenceEncoder.load(tuned, options);
                    OnnxSentenceEncoder ort = OnnxSentenceEncoder.load(tuned, options);
                    OnnxSentenceEncoder spinning = OnnxSentenceEncoder.load(tuned, options, true)) {
                JniUtils.setNumThreads(threads);
                figures = perCall(List.of(djl, ort, spinning), queries, batch);
                float[][] a = djl.encode(queries);
                float[][] b = ort.encode(queries);
                for (int i = 0; i < a.length; i++) {
                    lowest = Math.min(lowest, cosine(a[i], b[i]));
                }
            }
            String[] engines = {"pytorch", "onnx", "onnx, idle threads spinning (ORT default)"};
            for (int e = 0; e < engines.length; e++) {
                rows.add(
                        List.of(
                                engines[e],
                                batch,
                                queries.size(),
                                figures[e][0],
                                figures[e][1],
                                figures[e][2],
                                figures[e][3],
                                figures[e][0] / figures[0][0],
                                String.format(Locale.ROOT, "%.7f", lowest)));
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(
                "goal",
                "query path (batch 1) >= 0.9x ONNX Runtime; served model = evaluated model (cosine >= 0.9999)");
        results.publish(
                "encode-query",
                "Query encoding, fine-tuned model: PyTorch vs ONNX Runtime serving the same weights (2 threads)",
                List.of(
                        "engine",
                        "batch",
                        "queries",
                        "queries/s",
                        "p50 ms",
                        "p99 ms",
                        "CPU ms per query",
                        "vs pytorch",
                        "min cosine"),
                rows,
                extra);
    }

    /**
     * [queries/s, p50 ms, p99 ms, process CPU ms per query] of each encoder, encoding {@code
     * queries} {@code batch} per call after a warm-up. The encoders take turns every {@value #TURN}
     * calls, so that load from outside this JVM falls on both alike while each mostly runs as it
     * would alone (turns call by call would charge each runtime for the other's worker threads
     * still spinning after a call).
     */
    private static double[][] perCall(List<TextEncoder> encoders, List<String> queries, int batch) {
        int calls = (queries.size() + batch - 1) / batch;
        long[][] nanos = new long[encoders.size()][calls];
        long[] cpu = new long[encoders.size()];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (TextEncoder encoder : encoders) {
            for (int i = 0; i < 64; i += batch) {
                encoder.encode(queries.subList(i, Math.min(queries.size(), i + batch)));
            }
        }
        for (int turn = 0; turn < calls; turn += TURN) {
            for (int e = 0; e < encoders.size(); e++) {
                long cpuBefore = os.getProcessCpuTime();
                for (int c = turn; c < Math.min(calls, turn + TURN); c++) {
                    List<String> chunk =
                            queries.subList(c * batch, Math.min(queries.size(), (c + 1) * batch));
                    long t0 = System.nanoTime();
                    encoders.get(e).encode(chunk);
                    nanos[e][c] = System.nanoTime() - t0;
                }
                cpu[e] += os.getProcessCpuTime() - cpuBefore;
            }
        }
        double[][] out = new double[encoders.size()][];
        for (int e = 0; e < encoders.size(); e++) {
            double seconds = java.util.Arrays.stream(nanos[e]).sum() / 1e9;
            out[e] =
                    new double[] {
                        queries.size() / seconds,
                        SearchBenchmark.percentile(nanos[e], 50),
                        SearchBenchmark.percentile(nanos[e], 99),
                        cpu[e] / 1e6 / queries.size()
                    };
        }
        return out;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot; // both unit length
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    interface Work {
        void run() throws Exception;
    }

    static double rate(int items, Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return items / ((System.nanoTime() - start) / 1e9);
    }
}
