package io.searchloop.encoder;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.searchloop.encoder.model.BertConfig;
import io.searchloop.encoder.model.BertParameters;
import io.searchloop.encoder.train.HardNegative;
import io.searchloop.encoder.train.TrainingExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory one training step of a BERT-family encoder needs, in float32 bytes: the weights, their
 * gradients, AdamW's two moments, the activations autograd keeps from the forward passes for
 * backward, and a workspace (backward's transient gradients of one layer, and the optimizer's
 * temporaries for the largest parameter). Activations are counted from what this code's forward
 * pass saves per layer and token — the inputs of the seven linear maps (hidden size each, the
 * second feed-forward one intermediate size), the GELU input, the two LayerNorm inputs, one-byte
 * dropout masks — plus, per head, the attention probabilities before and after dropout with its
 * mask ({@code 9·heads·T²} bytes per sequence and layer). {@link #check} reports it before training
 * and refuses a step the device cannot hold.
 */
public record TrainingMemory(
        long weights, long gradients, long adamMoments, long activations, long workspace) {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingMemory.class);

    /** Examples whose token lengths stand for the whole training set. */
    private static final int LENGTH_SAMPLE = 1000;

    /** Query length assumed when only the product length is known. */
    public static final int QUERY_TOKENS = 32;

    /** One forward pass of a step: {@code sequences} texts padded to {@code tokens}. */
    public record Pass(int sequences, int tokens) {}

    public long total() {
        return weights + gradients + adamMoments + activations + workspace;
    }

    /** What a step adds to a process that already holds the weights. */
    public long beyondWeights() {
        return total() - weights;
    }

    /**
     * A step over {@code batch} (query, product) pairs of {@code queryTokens} and {@code
     * productTokens} tokens with {@code negatives} hard negatives in all, in micro-batches of
     * {@code microBatch} pairs (gradient accumulation recomputes one micro-batch at a time).
     */
    public static TrainingMemory estimate(
            BertConfig c,
            int batch,
            int queryTokens,
            int productTokens,
            int negatives,
            int microBatch) {
        int chunk = Math.max(1, Math.min(batch, microBatch));
        int negativeChunk = (int) Math.ceil(negatives * (double) chunk / batch);
        List<Pass> passes =
                negatives > 0
                        ? List.of(
                                new Pass(chunk, queryTokens),
                                new Pass(chunk, productTokens),
                                new Pass(negativeChunk, productTokens))
                        : List.of(new Pass(chunk, queryTokens), new Pass(chunk, productTokens));
        return estimate(c, passes);
    }

    /** {@link #estimate(BertConfig, int, int, int, int, int)} without accumulation. */
    public static TrainingMemory estimate(
            BertConfig c, int batch, int queryTokens, int productTokens, int negatives) {
        return estimate(c, batch, queryTokens, productTokens, negatives, batch);
    }

    /** A step whose forward passes (with gradients) are {@code passes}. */
    public static TrainingMemory estimate(BertConfig c, List<Pass> passes) {
        long parameters = c.parameterCount();
        long largestParameter =
                BertParameters.expected(c).values().stream()
                        .mapToLong(s -> s[0] * (s.length > 1 ? s[1] : 1))
                        .max()
                        .orElse(0);
        long activations = 0;
        long largestLayer = 0;
        for (Pass p : passes) {
            long tokens = (long) p.sequences() * p.tokens();
            long perLayer =
                    tokens * (34L * c.hiddenSize() + 8L * c.intermediateSize())
                            + 9L * p.sequences() * c.numHeads() * p.tokens() * p.tokens();
            long embeddings =
                    tokens * (3 * 8 + 5L * c.hiddenSize()); // ids, LayerNorm input, dropout mask
            long pooling = tokens * 4L * c.hiddenSize();
            activations += perLayer * c.numLayers() + embeddings + pooling;
            largestLayer = Math.max(largestLayer, perLayer);
        }
        long optimizerTemporaries = 3 * 4 * largestParameter;
        return new TrainingMemory(
                4 * parameters,
                4 * parameters,
                8 * parameters,
                activations,
                largestLayer + optimizerTemporaries);
    }

    /**
     * Estimates a step of {@code batch} examples padded to the longest query and product among the
     * first examples (hard negatives at their average count), in {@code accumulation}
     * micro-batches; logs it; and throws {@link IllegalStateException} when what the step adds to
     * the loaded weights exceeds the memory the encoder's device has available.
     */
    public static TrainingMemory check(
            SentenceEncoder encoder, List<TrainingExample> examples, int batch, int accumulation) {
        return check(encoder, examples, batch, accumulation, available(encoder.model().device()));
    }

    static TrainingMemory check(
            SentenceEncoder encoder,
            List<TrainingExample> examples,
            int batch,
            int accumulation,
            long available) {
        List<TrainingExample> sample =
                examples.subList(0, Math.min(examples.size(), LENGTH_SAMPLE));
        int queryTokens = longest(encoder, sample.stream().map(TrainingExample::query).toList());
        int productTokens =
                longest(
                        encoder,
                        sample.stream()
                                .flatMap(
                                        e ->
                                                java.util.stream.Stream.concat(
                                                        java.util.stream.Stream.of(e.productText()),
                                                        e.hardNegatives().stream()
                                                                .map(HardNegative::text)))
                                .toList());
        double negativesPerExample =
                sample.stream().mapToInt(e -> e.hardNegatives().size()).average().orElse(0);
        int microBatch = (batch + accumulation - 1) / accumulation;
        TrainingMemory estimate =
                estimate(
                        encoder.model().config(),
                        batch,
                        queryTokens,
                        productTokens,
                        (int) Math.ceil(negativesPerExample * batch),
                        microBatch);
        LOG.info(
                "training step at batch {} ({} micro-batches of {}; queries up to {} tokens, products up to {}): about {} ({}); {} available on {}",
                batch,
                accumulation,
                microBatch,
                queryTokens,
                productTokens,
                gib(estimate.total()),
                estimate.breakdown(),
                available < 0 ? "unknown" : gib(available),
                encoder.model().device());
        if (available >= 0 && estimate.beyondWeights() > available) {
            throw new IllegalStateException(
                    "a training step at batch "
                            + batch
                            + " needs about "
                            + gib(estimate.beyondWeights())
                            + " beyond the loaded weights ("
                            + estimate.breakdown()
                            + ") but "
                            + encoder.model().device()
                            + " has "
                            + gib(available)
                            + " available: lower the batch size, or keep it and split it with gradient accumulation (TRAIN_GRADIENT_ACCUMULATION)");
        }
        return estimate;
    }

    private static int longest(SentenceEncoder encoder, List<String> texts) {
        return encoder.tokenizer().ids(texts).stream().mapToInt(ids -> ids.length).max().orElse(0);
    }

    /**
     * Bytes the device can still give: free CUDA memory on a GPU, {@code MemAvailable} on the CPU;
     * -1 when unknown.
     */
    public static long available(Device device) {
        if (device.isGpu()) {
            MemoryUsage usage = CudaUtils.getGpuMemory(device);
            return usage.getMax() > 0 ? usage.getMax() - usage.getUsed() : -1;
        }
        try {
            long host = -1;
            Path meminfo = Path.of("/proc/meminfo");
            if (Files.isReadable(meminfo)) {
                for (String line : Files.readAllLines(meminfo)) {
                    if (line.startsWith("MemAvailable:")) {
                        host = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                    }
                }
            }
            // A container's limit (cgroup v2) is not in /proc/meminfo.
            Path limit = Path.of("/sys/fs/cgroup/memory.max");
            Path current = Path.of("/sys/fs/cgroup/memory.current");
            if (Files.isReadable(limit)
                    && Files.isReadable(current)
                    && Files.readString(limit).trim().matches("\\d+")) {
                long left =
                        Long.parseLong(Files.readString(limit).trim())
                                - Long.parseLong(Files.readString(current).trim());
                host = host < 0 ? left : Math.min(host, left);
            }
            return host;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the available memory", e);
        }
    }

    public String breakdown() {
        return "weights "
                + gib(weights)
                + ", gradients "
                + gib(gradients)
                + ", AdamW moments "
                + gib(adamMoments)
                + ", activations "
                + gib(activations)
                + ", workspace "
                + gib(workspace);
    }

    /** Bytes as GiB (or MiB below one GiB), for people. */
    public static String gib(long bytes) {
        return bytes >= 1L << 30
                ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }
}
