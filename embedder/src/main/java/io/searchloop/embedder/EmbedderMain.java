package io.searchloop.embedder;

import io.searchloop.schemas.config.ServiceRunner;

/**
 * Runs the embedder until SIGTERM/Ctrl-C (the launcher's `embedder` command starts it through
 * here). Wiring only.
 */
public final class EmbedderMain {
    private EmbedderMain() {}

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
