package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.encoder.train.EncoderTrainer;
import io.searchloop.encoder.train.TrainingExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training-memory estimate against the resident-memory peak of a real all-MiniLM-L6-v2 step on
 * the CPU: the process's peak is reset after the model is loaded, one step runs (moments allocated,
 * forward, backward, AdamW), and the growth of the peak over the resident size before the step must
 * be within 25 % of what the estimate says a step adds to the weights.
 */
class TrainingMemoryIT {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingMemoryIT.class);

    @Test
    void shouldEstimateTheMemoryOfAMiniLmStepWithinAQuarter() throws Exception {
        List<TrainingExample> batch = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            batch.add(
                    new TrainingExample(
                            "steel chimney pipe number " + i + " for a sauna stove",
                            "p" + i,
                            ("Stainless steel chimney pipe "
                                            + i
                                            + ", 115 mm, insulated, for sauna stoves and fireplaces; ")
                                    .repeat(3),
                            1f));
        }
        try (SentenceEncoder encoder =
                SentenceEncoder.base(
                        EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU))) {
            encoder.encode(List.of("warm up the tokenizer and the engine"));
            int queryTokens = longest(encoder, batch.stream().map(TrainingExample::query).toList());
            int productTokens =
                    longest(encoder, batch.stream().map(TrainingExample::productText).toList());
            TrainingMemory estimate =
                    TrainingMemory.estimate(
                            encoder.model().config(), batch.size(), queryTokens, productTokens, 0);
            System.gc();
            long before = status("VmRSS");
            Files.writeString(
                    Path.of("/proc/self/clear_refs"),
                    "5"); // resets VmHWM to the current resident size
            try (EncoderTrainer trainer =
                    new EncoderTrainer(encoder, EncoderTrainer.Options.defaults(10))) {
                trainer.step(batch);
            }
            long measured = status("VmHWM") - before;
            LOG.info(
                    "MiniLM step at batch 32 ({}-token queries, {}-token products): measured peak growth {}, estimated {} ({})",
                    queryTokens,
                    productTokens,
                    TrainingMemory.gib(measured),
                    TrainingMemory.gib(estimate.beyondWeights()),
                    estimate.breakdown());
            assertThat((double) estimate.beyondWeights())
                    .isBetween(0.75 * measured, 1.25 * measured);
        }
    }

    private static int longest(SentenceEncoder encoder, List<String> texts) {
        return encoder.tokenizer().ids(texts).stream().mapToInt(ids -> ids.length).max().orElse(0);
    }

    /** A /proc/self/status field in bytes. */
    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }
}
