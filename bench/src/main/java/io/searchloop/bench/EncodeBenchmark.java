package io.searchloop.bench;

import ai.djl.pytorch.jni.JniUtils;
import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.OnnxSentenceEncoder;
import io.searchloop.encoder.SentenceEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 1: sentences/s of the DJL encoder against ONNX Runtime on the same catalog titles, same
 * tokenizer and pooling, per batch size and intra-op thread count. Both run in this JVM, one after
 * the other for each setting, after a warm-up; the ratio is DJL / ONNX Runtime.
 */
final class EncodeBenchmark {
    private final boolean quick;

    EncodeBenchmark(boolean quick) {
        this.quick = quick;
    }

    void run(Results results) throws Exception {
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

    interface Work {
        void run() throws Exception;
    }

    static double rate(int items, Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return items / ((System.nanoTime() - start) / 1e9);
    }
}
