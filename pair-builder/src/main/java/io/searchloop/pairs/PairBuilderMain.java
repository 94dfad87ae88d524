package io.searchloop.pairs;

import io.searchloop.schemas.config.ServiceRunner;

/** Runs the pair-builder from environment variables until SIGTERM/Ctrl-C. Wiring only. */
public final class PairBuilderMain {
    private PairBuilderMain() {}

    public static void main(String[] args) throws Exception {
        run(PairBuilderConfig.fromEnv(System.getenv()));
    }

    public static void run(PairBuilderConfig config) throws Exception {
        ServiceRunner.runUntilStopped("pair-builder", new PairBuilderService(config), PairBuilderService::start);
    }
}
