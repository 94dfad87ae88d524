package io.searchloop.trainer;

import io.searchloop.schemas.config.ServiceRunner;

/**
 * Runs the trainer until SIGTERM/Ctrl-C (the launcher's `trainer` command starts it through here).
 * Wiring only.
 */
public final class TrainerMain {
    private TrainerMain() {}

    public static void run(TrainerConfig config) throws Exception {
        ServiceRunner.runUntilStopped(
                "trainer",
                new TrainerService(config),
                s -> {
                    s.serve(config.httpHost(), config.httpPort());
                    s.start();
                });
    }
}
