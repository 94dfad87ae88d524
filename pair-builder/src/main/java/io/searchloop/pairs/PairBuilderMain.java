package io.searchloop.pairs;

import io.searchloop.schemas.config.ServiceRunner;

/** Runs the pair-builder from environment variables until SIGTERM/Ctrl-C. Wiring only. */
public final class PairBuilderMain {
    private PairBuilderMain() {}

    public static void main(String[] args) throws Exception {
        run(PairBuilderConfig.fromEnv(System.getenv()));
    }

    public static void run(PairBuilderConfig config) throws Exception {
        // Health red for good ends the process (Fatal.EXIT_PROCESS) so that its supervisor restarts
        // it.
        PairBuilderService service = new PairBuilderService(config);
        ServiceRunner.runUntilStopped(
                "pair-builder",
                service,
                s -> {
                    s.serve(config.httpHost(), config.httpPort());
                    s.start();
                });
    }
}
