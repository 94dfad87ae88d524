package io.searchloop.app;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Runs the embedder service until SIGTERM. */
@Command(
        name = "embedder",
        mixinStandardHelpOptions = true,
        description =
                "Keep the catalog and one pgvector index per promoted model version in PostgreSQL; switch search to a new index "
                        + "only when it is complete. Configured by environment variables: see README, 'embedder'.")
final class EmbedderCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        EmbedderConfig config = EmbedderConfig.fromEnv(System.getenv());
        Standalone.sharedRegistry(config.connections().schemaRegistryUrl());
        EmbedderMain.run(config);
        return 0;
    }
}
