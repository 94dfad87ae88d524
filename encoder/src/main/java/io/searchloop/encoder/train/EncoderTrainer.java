package io.searchloop.encoder.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.searchloop.encoder.SentenceEncoder;
import io.searchloop.encoder.model.BertParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a {@link SentenceEncoder}'s weights in place, one batch per {@link #step}: forward
 * both sides with dropout, the loss, backward, global gradient-norm clipping, then AdamW (decoupled
 * weight decay, none on biases and LayerNorm) at the rate of a linear warm-up/decay schedule. DJL
 * allows one open GradientCollector per JVM, so every step of every trainer in the JVM holds {@link
 * #JVM_TRAINING_LOCK}: training is serialised, by type, not by convention. Given the same seed,
 * weights and batches, a run is reproducible on the same device.
 */
public final class EncoderTrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EncoderTrainer.class);

    /** Serialises training steps JVM-wide (one GradientCollector at a time). */
    private static final ReentrantLock JVM_TRAINING_LOCK = new ReentrantLock();

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-6f;

    /**
     * How to train: loss, schedule, regularisation and seed; {@code gradientAccumulation} k > 1
     * computes each step's gradient in k micro-batches ({@link EmbeddingPasses#cached}) with the
     * same result and in-batch negatives as one pass over the whole batch.
     */
    public record Options(
            TrainingLoss loss,
            LinearSchedule schedule,
            float weightDecay,
            float maxGradNorm,
            float dropout,
            long seed,
            int gradientAccumulation) {
        public Options {
            if (gradientAccumulation < 1) {
                throw new IllegalArgumentException(
                        "gradient accumulation must be at least 1, got " + gradientAccumulation);
            }
        }

        public Options(
                TrainingLoss loss,
                LinearSchedule schedule,
                float weightDecay,
                float maxGradNorm,
                float dropout,
                long seed) {
            this(loss, schedule, weightDecay, maxGradNorm, dropout, seed, 1);
        }

        public static Options defaults(int totalSteps) {
            return new Options(
                    TrainingLoss.named("mnrl"),
                    new LinearSchedule(2e-5f, Math.max(1, totalSteps / 10), totalSteps),
                    0.01f,
                    1.0f,
                    0.1f,
                    42L);
        }
    }

    /**
     * What one step did: {@code step} counts applied updates (a skipped step does not advance it),
     * {@code learningRate} is the rate the update used or would have used.
     */
    public record StepResult(
            int step,
            float loss,
            float learningRate,
            float gradientNorm,
            long millis,
            boolean skipped) {}

    private final SentenceEncoder encoder;
    private final Options options;
    private final NDManager state;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private int step;
    private int skippedSteps;

    public EncoderTrainer(SentenceEncoder encoder, Options options) {
        this.encoder = encoder;
        this.options = options;
        this.state = encoder.model().manager().newSubManager();
        Engine.getEngine("PyTorch").setRandomSeed((int) options.seed());
        encoder.model()
                .parameters()
                .forEach(
                        (name, p) -> {
                            p.setRequiresGradient(true);
                            firstMoments.put(name, state.zeros(p.getShape()));
                            secondMoments.put(name, state.zeros(p.getShape()));
                        });
    }

    /**
     * Trains on one batch. A step whose gradient is not finite changes nothing (weights, moments,
     * schedule position, bias correction) and says so in {@link StepResult#skipped()}.
     */
    public StepResult step(List<TrainingExample> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("a training step needs at least one example");
        }
        long started = System.nanoTime();
        JVM_TRAINING_LOCK.lock();
        try {
            float loss = forwardBackward(batch, () -> {});
            int next = step + 1;
            float lr = options.schedule().rate(next);
            // The update must not be recorded: PyTorch's grad mode is per thread and on by default
            // in new threads.
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            float norm;
            try {
                norm = update(next, lr);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
            boolean skipped = !Float.isFinite(norm);
            if (skipped) {
                skippedSteps++;
                LOG.warn(
                        "training step {}: gradient norm {}, update skipped ({} skipped so far)",
                        next,
                        norm,
                        skippedSteps);
            } else {
                step = next;
            }
            return new StepResult(
                    step, loss, lr, norm, (System.nanoTime() - started) / 1_000_000, skipped);
        } finally {
            JVM_TRAINING_LOCK.unlock();
        }
    }

    /**
     * One forward and backward pass without an update, {@code beforeBackward} run between them;
     * returns each parameter's gradient and zeroes it. Tests use it to show that what happens
     * between forward and backward (a GC, say) cannot change a gradient.
     */
    Map<String, float[]> gradients(List<TrainingExample> batch, Runnable beforeBackward) {
        JVM_TRAINING_LOCK.lock();
        try {
            forwardBackward(batch, beforeBackward);
            Map<String, float[]> out = new LinkedHashMap<>();
            encoder.model()
                    .parameters()
                    .forEach(
                            (name, p) -> {
                                try (NDArray g = p.getGradient()) {
                                    out.put(name, g.toFloatArray());
                                }
                                JniUtils.zeroGrad((PtNDArray) p);
                            });
            return out;
        } finally {
            JVM_TRAINING_LOCK.unlock();
        }
    }

    private float forwardBackward(List<TrainingExample> batch, Runnable beforeBackward) {
        List<String> queries = batch.stream().map(TrainingExample::query).toList();
        List<String> productTexts = batch.stream().map(TrainingExample::productText).toList();
        List<String> negativeTexts =
                batch.stream()
                        .flatMap(e -> e.hardNegatives().stream())
                        .map(HardNegative::text)
                        .toList();
        try (NDManager manager = encoder.model().manager().newSubManager();
                GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            EmbeddingPasses passes = passes(batch.size(), manager);
            NDArray q = passes.embed(encoder.tokenizer().ids(queries));
            NDArray p = passes.embed(encoder.tokenizer().ids(productTexts));
            NDArray n =
                    negativeTexts.isEmpty()
                            ? null
                            : passes.embed(encoder.tokenizer().ids(negativeTexts));
            NDArray loss = options.loss().compute(new TrainingBatch(q, p, n, batch));
            beforeBackward.run();
            collector.backward(loss);
            passes.backward(collector);
            return loss.getFloat();
        }
    }

    /**
     * The step's embedding passes: whole-batch, or cached micro-batches of a k-th of the batch
     * under a per-step seed.
     */
    private EmbeddingPasses passes(int batchSize, NDManager manager) {
        int k = options.gradientAccumulation();
        return k == 1
                ? EmbeddingPasses.direct(encoder, manager, options.dropout())
                : EmbeddingPasses.cached(
                        encoder,
                        manager,
                        options.dropout(),
                        (batchSize + k - 1) / k,
                        options.seed() * 31 + step + skippedSteps);
    }

    /**
     * Clips gradients to the global norm, applies AdamW for step {@code t} (1-based, counting
     * applied steps only), zeroes the gradients; returns the norm before clipping, and changes
     * nothing when that norm is not finite. A parameter without a gradient (it took no part in the
     * loss, like the pooler) is left alone, decay included, as torch.optim.AdamW does. Every
     * temporary is closed per parameter or with the step's scratch manager, so the state manager
     * holds exactly the moments from one step to the next; the optimizer's constants are
     * PyTorch-owned scalars on that scratch manager.
     */
    private float update(int t, float lr) {
        Map<String, NDArray> parameters = encoder.model().parameters();
        try (NDManager scratch = state.newSubManager()) {
            Map<String, NDArray> gradients = new LinkedHashMap<>();
            double squared = 0;
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray g = JniUtils.getGradient((PtNDArray) e.getValue());
                if (g == null) {
                    continue;
                }
                g.attach(scratch);
                gradients.put(e.getKey(), g);
                float norm = g.norm().getFloat();
                squared += (double) norm * norm;
            }
            float norm = (float) Math.sqrt(squared);
            if (Float.isFinite(norm)) {
                float clip =
                        options.maxGradNorm() > 0 && norm > options.maxGradNorm()
                                ? options.maxGradNorm() / (norm + 1e-6f)
                                : 1f;
                AdamConstants c = new AdamConstants(scratch, clip, t, lr, options.weightDecay());
                gradients.forEach(
                        (name, grad) ->
                                adamW(
                                        parameters.get(name),
                                        grad,
                                        firstMoments.get(name),
                                        secondMoments.get(name),
                                        c,
                                        options.weightDecay() > 0
                                                && !BertParameters.noDecay(name)));
            }
            // A non-finite gradient would poison every weight through Adam's moments: it is
            // dropped.
            parameters.values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
            return norm;
        }
    }

    /** The scalars of one AdamW step, as tensors on the step's scratch manager. */
    private record AdamConstants(
            NDArray clip,
            NDArray beta1,
            NDArray oneMinusBeta1,
            NDArray beta2,
            NDArray oneMinusBeta2,
            NDArray inverseCorrection2,
            NDArray rateOverCorrection1,
            NDArray epsilon,
            NDArray decay) {
        AdamConstants(NDManager m, float clip, int t, float lr, float weightDecay) {
            this(
                    scalar(m, clip),
                    scalar(m, BETA1),
                    scalar(m, 1 - BETA1),
                    scalar(m, BETA2),
                    scalar(m, 1 - BETA2),
                    scalar(m, (float) (1 / (1 - Math.pow(BETA2, t)))),
                    scalar(m, (float) (lr / (1 - Math.pow(BETA1, t)))),
                    scalar(m, EPSILON),
                    scalar(m, 1 - lr * weightDecay));
        }

        private static NDArray scalar(NDManager m, float value) {
            return m.full(new Shape(), value);
        }
    }

    /** One AdamW update of {@code param} in place; the temporaries are closed before it returns. */
    private static void adamW(
            NDArray param, NDArray grad, NDArray m, NDArray v, AdamConstants c, boolean decay) {
        // Never modify the gradient in place: PyTorch then stops accumulating into it (NaN next
        // step).
        try (NDArray g = grad.mul(c.clip());
                NDArray weighted = g.mul(c.oneMinusBeta1());
                NDArray squared = g.square()) {
            m.muli(c.beta1()).addi(weighted);
            v.muli(c.beta2()).addi(squared.muli(c.oneMinusBeta2()));
        }
        try (NDArray vHat = v.mul(c.inverseCorrection2());
                NDArray denominator = vHat.sqrt();
                NDArray change = m.mul(c.rateOverCorrection1())) {
            if (decay) {
                param.muli(c.decay()); // decoupled weight decay
            }
            param.subi(change.divi(denominator.addi(c.epsilon())));
        }
    }

    /** The arrays the trainer's state manager holds (the moments between steps), for leak tests. */
    int liveStateArrays() {
        return state.getManagedArrays().size();
    }

    /** Updates applied so far. */
    public int stepsDone() {
        return step;
    }

    /** Steps whose update was skipped because the gradient was not finite. */
    public int skippedSteps() {
        return skippedSteps;
    }

    @Override
    public void close() {
        encoder.model().parameters().values().forEach(p -> p.setRequiresGradient(false));
        state.close();
    }
}
