package io.searchloop.encoder;

import io.searchloop.schemas.config.Env;

/**
 * How to run an encoder: on which device, with how many PyTorch intra-op threads (0 keeps the
 * engine's default; the setting is process-wide), how many texts per forward pass, and the maximum
 * tokens per text (0 uses the model directory's {@code max_seq_length}, default 128).
 */
public record EncoderOptions(
        DeviceChoice device, int intraOpThreads, int batchSize, int maxLength) {

    /** Where the model runs: a GPU when one is present and allowed, else the CPU. */
    public enum DeviceChoice {
        AUTO,
        CPU,
        GPU
    }

    public EncoderOptions {
        if (intraOpThreads < 0 || batchSize < 1 || maxLength < 0) {
            throw new IllegalArgumentException(
                    "invalid encoder options: threads "
                            + intraOpThreads
                            + ", batch "
                            + batchSize
                            + ", maxLength "
                            + maxLength);
        }
    }

    public static EncoderOptions defaults() {
        return new EncoderOptions(DeviceChoice.AUTO, 0, 32, 0);
    }

    /** {@code ENCODER_DEVICE} (auto, cpu, gpu) and {@code ENCODER_THREADS} (0 = the engine's). */
    public static EncoderOptions fromEnv(Env e) {
        EncoderOptions d = defaults();
        return d.withDevice(e.choice("ENCODER_DEVICE", DeviceChoice.class, d.device()))
                .withThreads(e.integer("ENCODER_THREADS", d.intraOpThreads(), 0, 256));
    }

    public EncoderOptions withDevice(DeviceChoice choice) {
        return new EncoderOptions(choice, intraOpThreads, batchSize, maxLength);
    }

    public EncoderOptions withThreads(int threads) {
        return new EncoderOptions(device, threads, batchSize, maxLength);
    }

    public EncoderOptions withBatchSize(int size) {
        return new EncoderOptions(device, intraOpThreads, size, maxLength);
    }
}
