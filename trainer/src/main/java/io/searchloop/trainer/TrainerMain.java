package io.searchloop.trainer;

import io.searchloop.schemas.config.ServiceRunner;

/** Runs the trainer from environment variables until SIGTERM/Ctrl-C. Wiring only. */
public final class TrainerMain {
    private TrainerMain() {}

    public static void main(String[] args) throws Exception {
        run(TrainerConfig.fromEnv(System.getenv()));
    }

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
