package io.searchloop.app;

import io.searchloop.encoder.EncoderOptions;
import io.searchloop.pairs.PairSettings;
import java.time.Duration;

/**
 * Settings that make the loop react in seconds instead of minutes, for tests that run every service
 * in one process: short attribution windows, a pair counts after one observation, models on the
 * CPU.
 */
final class QuickLoop {
    private QuickLoop() {}

    static final EncoderOptions CPU =
            EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU);

    /**
     * Engagements count within 5 s of their search (1 s late), sessions are held 2 s and bursts
     * told within 2 s, a pair is emitted after one observation.
     */
    static PairSettings pairs() {
        PairSettings d = PairSettings.defaults();
        return d.withTiming(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(500))
                .withScorer(d.scorer().withMinObservations(1))
                .withLimits(
                        d.limits()
                                .withSessionHold(Duration.ofSeconds(2))
                                .withBurstWindow(Duration.ofSeconds(2)));
    }
}
