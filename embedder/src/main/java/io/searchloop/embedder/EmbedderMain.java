package io.searchloop.embedder;

import io.searchloop.schemas.config.ServiceRunner;

/** Runs the embedder from environment variables until SIGTERM/Ctrl-C. Wiring only. */
public final class EmbedderMain {
    private EmbedderMain() {}

    public static void main(String[] args) throws Exception {
        run(EmbedderConfig.fromEnv(System.getenv()));
    }

    public static void run(EmbedderConfig config) throws Exception {
        ServiceRunner.runUntilStopped(
                "embedder",
                new EmbedderService(config),
                s -> {
                    s.serve(config.httpHost(), config.httpPort());
                    s.start();
                });
    }
}
