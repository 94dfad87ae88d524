package io.searchloop.app;

import io.searchloop.pairs.PairBuilderConfig;
import io.searchloop.pairs.PairBuilderMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Runs the pair-builder service (Kafka Streams) until SIGTERM. */
@Command(
        name = "pair-builder",
        mixinStandardHelpOptions = true,
        description =
                "Turn search-events and interactions into scored training-pairs (Kafka Streams, exactly-once). "
                        + "Configured by environment variables: see README, 'pair-builder'.")
final class PairBuilderCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        PairBuilderConfig config = PairBuilderConfig.fromEnv(System.getenv());
        Standalone.sharedRegistry(config.connections().schemaRegistryUrl());
        PairBuilderMain.run(config);
        return 0;
    }
}
