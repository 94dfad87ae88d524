package io.searchloop.encoder.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * both sides with dropout, the loss, backward, global gradient-norm clipping, then AdamW
 * (decoupled weight decay, none on biases and LayerNorm) at the rate of a linear warm-up/decay
 * schedule. DJL allows one open GradientCollector per JVM, so every step of every trainer in the
 * JVM holds {@link #JVM_TRAINING_LOCK}: training is serialised, by type, not by convention.
 * Given the same seed, weights and batches, a run is reproducible on the same device.
 */
public final class EncoderTrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EncoderTrainer.class);
    /** Serialises training steps JVM-wide (one GradientCollector at a time). */
    private static final ReentrantLock JVM_TRAINING_LOCK = new ReentrantLock();
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-6f;

    /** How to train: loss, schedule, regularisation and seed. */
    public record Options(TrainingLoss loss, LinearSchedule schedule, float weightDecay, float maxGradNorm, float dropout, long seed) {
        public static Options defaults(int totalSteps) {
            return new Options(TrainingLoss.named("mnrl"), new LinearSchedule(2e-5f, Math.max(1, totalSteps / 10), totalSteps),
                    0.01f, 1.0f, 0.1f, 42L);
        }
    }

    /** What one step did. */
    public record StepResult(int step, float loss, float learningRate, float gradientNorm, long millis) {}

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
        encoder.model().parameters().forEach((name, p) -> {
            p.setRequiresGradient(true);
            firstMoments.put(name, state.zeros(p.getShape()));
            secondMoments.put(name, state.zeros(p.getShape()));
        });
    }

    public StepResult step(List<TrainingExample> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("a training step needs at least one example");
        }
        long started = System.nanoTime();
        JVM_TRAINING_LOCK.lock();
        try {
            float loss = forwardBackward(batch);
            step++;
            float lr = options.schedule().rate(step);
            // The update must not be recorded: PyTorch's grad mode is per thread and on by default in new threads.
            boolean gradMode = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            float norm;
            try {
                norm = update(lr);
            } finally {
                JniUtils.setGradMode(gradMode);
            }
            return new StepResult(step, loss, lr, norm, (System.nanoTime() - started) / 1_000_000);
        } finally {
            JVM_TRAINING_LOCK.unlock();
        }
    }

    private float forwardBackward(List<TrainingExample> batch) {
        List<String> queries = batch.stream().map(TrainingExample::query).toList();
        List<String> productTexts = batch.stream().map(TrainingExample::productText).toList();
        List<String> negativeTexts = batch.stream().flatMap(e -> e.hardNegatives().stream()).map(HardNegative::text).toList();
        try (NDManager manager = encoder.model().manager().newSubManager();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            float dropout = options.dropout();
            NDArray q = encoder.pooledEmbeddings(encoder.tokenizer().ids(queries), manager, dropout);
            NDArray p = encoder.pooledEmbeddings(encoder.tokenizer().ids(productTexts), manager, dropout);
            NDArray n = negativeTexts.isEmpty() ? null : encoder.pooledEmbeddings(encoder.tokenizer().ids(negativeTexts), manager, dropout);
            NDArray loss = options.loss().compute(new TrainingBatch(q, p, n, batch));
            collector.backward(loss);
            return loss.getFloat();
        }
    }

    /**
     * Clips gradients to the global norm, applies AdamW, zeroes the gradients; returns the norm
     * before clipping. In-place arithmetic on the optimizer state and weights keeps the
     * temporaries per parameter to a few, which matters for the [vocab, hidden] embedding table.
     */
    private float update(float lr) {
        Map<String, NDArray> parameters = encoder.model().parameters();
        try (NDManager scratch = state.newSubManager()) {
            Map<String, NDArray> gradients = new LinkedHashMap<>();
            double squared = 0;
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray g = e.getValue().getGradient();
                g.attach(scratch);
                gradients.put(e.getKey(), g);
                float norm = g.norm().getFloat();
                squared += (double) norm * norm;
            }
            float norm = (float) Math.sqrt(squared);
            if (!Float.isFinite(norm)) {
                // A non-finite gradient would poison every weight through Adam's moments: skip this step.
                skippedSteps++;
                LOG.warn("training step {}: gradient norm {}, update skipped ({} skipped so far)", step, norm, skippedSteps);
                parameters.values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
                return norm;
            }
            float clip = options.maxGradNorm() > 0 && norm > options.maxGradNorm() ? options.maxGradNorm() / (norm + 1e-6f) : 1f;
            float correction1 = 1 - (float) Math.pow(BETA1, step);
            float correction2 = 1 - (float) Math.pow(BETA2, step);
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                String name = e.getKey();
                NDArray param = e.getValue();
                // Never modify the gradient in place: PyTorch then stops accumulating into it (NaN next step).
                NDArray g = gradients.get(name).mul(clip);
                NDArray m = firstMoments.get(name).muli(BETA1).addi(g.mul(1 - BETA1));
                NDArray v = secondMoments.get(name).muli(BETA2).addi(g.square().muli(1 - BETA2));
                NDArray denominator = v.div(correction2).sqrt().addi(EPSILON);
                if (options.weightDecay() > 0 && !BertParameters.noDecay(name)) {
                    param.muli(1 - lr * options.weightDecay()); // decoupled weight decay
                }
                param.subi(m.div(correction1).divi(denominator).muli(lr));
                JniUtils.zeroGrad((PtNDArray) param);
            }
            return norm;
        }
    }

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
