package io.searchloop.pairs;

import io.searchloop.schemas.config.ServiceRunner;

/** Runs the pair-builder from environment variables until SIGTERM/Ctrl-C. Wiring only. */
public final class PairBuilderMain {
    private PairBuilderMain() {}

    public static void main(String[] args) throws Exception {
        run(PairBuilderConfig.fromEnv(System.getenv()));
    }

    public static void run(PairBuilderConfig config) throws Exception {
        PairBuilderService service = new PairBuilderService(config);
        // Health red for good: end the process so that its supervisor restarts it, instead of idling while nothing is processed.
        service.onFatal(() -> new Thread(() -> System.exit(70), "pair-builder-fatal").start());
        ServiceRunner.runUntilStopped("pair-builder", service, PairBuilderService::start);
    }
}
