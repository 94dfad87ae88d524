package io.searchloop.pairs;

import io.searchloop.schemas.config.ServiceRunner;

/**
 * Runs the pair-builder until SIGTERM/Ctrl-C (the launcher's `pair-builder` command starts it
 * through here). Wiring only.
 */
public final class PairBuilderMain {
    private PairBuilderMain() {}

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
