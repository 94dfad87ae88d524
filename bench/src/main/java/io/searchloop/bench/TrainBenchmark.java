package io.searchloop.bench;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.train.EncoderTrainer;
import io.searchloop.encoder.train.LinearSchedule;
import io.searchloop.encoder.train.TrainingExample;
import io.searchloop.encoder.train.TrainingLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figure 2: training pairs/s of one fine-tuning step (mnrl, batch 32) against encode sentences/s
 * (batch 32) of the same model in the same run. A pair is two texts forward and backward plus the
 * optimizer update, so 0.3x encode is the goal, not 1x. Resident memory after the warm-up step and
 * after the last step shows whether a step leaks; the peak is the process's.
 */
final class TrainBenchmark {
    private final boolean quick;

    TrainBenchmark(boolean quick) {
        this.quick = quick;
    }

    void run(Results results) throws Exception {
        List<String> titles = CatalogTitles.generate(quick ? 128 : 640, 11);
        List<TrainingExample> pairs = new ArrayList<>();
        for (int i = 0; i < titles.size(); i++) {
            String title = titles.get(i);
            String query = title.toLowerCase(Locale.ROOT).split(",", -1)[0];
            pairs.add(new TrainingExample(query, "p" + i, title, 1f));
        }
        int batch = 32;
        int steps = pairs.size() / batch;
        List<List<Object>> rows = new ArrayList<>();
        EncoderOptions options =
                EncoderOptions.defaults()
                        .withDevice(EncoderOptions.DeviceChoice.CPU)
                        .withBatchSize(batch);
        try (SentenceEncoder encoder = SentenceEncoder.base(options)) {
            encoder.encode(titles.subList(0, 64));
            double encodeRate = EncodeBenchmark.rate(titles.size(), () -> encoder.encode(titles));
            try (EncoderTrainer trainer =
                    new EncoderTrainer(
                            encoder,
                            new EncoderTrainer.Options(
                                    TrainingLoss.named("mnrl"),
                                    new LinearSchedule(2e-5f, 1, steps + 1),
                                    0.01f,
                                    1f,
                                    0.1f,
                                    1L))) {
                trainer.step(pairs.subList(0, batch)); // warm-up
                long rssAfterWarmUp = ProcessMemory.residentMib();
                long millis = 0;
                for (int s = 1; s < steps; s++) {
                    millis += trainer.step(pairs.subList(s * batch, (s + 1) * batch)).millis();
                }
                double stepMillis = (double) millis / (steps - 1);
                double pairRate = batch / (stepMillis / 1000);
                rows.add(
                        List.of(
                                "mnrl",
                                batch,
                                steps - 1,
                                stepMillis,
                                pairRate,
                                encodeRate,
                                pairRate / encodeRate,
                                rssAfterWarmUp,
                                ProcessMemory.residentMib(),
                                ProcessMemory.peakMib()));
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("goal", "train pairs/s >= 0.3x encode sentences/s");
        results.publish(
                "train",
                "Train: pairs/s of a fine-tuning step vs encode sentences/s (all-MiniLM-L6-v2, CPU)",
                List.of(
                        "loss",
                        "batch",
                        "steps",
                        "ms/step",
                        "pairs/s",
                        "encode/s",
                        "ratio",
                        "RSS MiB after warm-up",
                        "RSS MiB at end",
                        "peak RSS MiB"),
                rows,
                extra);
    }
}
