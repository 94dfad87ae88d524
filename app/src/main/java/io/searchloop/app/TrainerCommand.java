package io.searchloop.app;

import io.searchloop.trainer.TrainerConfig;
import io.searchloop.trainer.TrainerMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Runs the trainer service until SIGTERM. */
@Command(
        name = "trainer",
        mixinStandardHelpOptions = true,
        description =
                "Accumulate training-pairs in PostgreSQL, retrain when enough new pairs arrive (or on request), evaluate, "
                        + "promote only what is better, publish model-versions. Configured by environment variables: see README, 'trainer'.")
final class TrainerCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        TrainerConfig config = TrainerConfig.fromEnv(System.getenv());
        Standalone.sharedRegistry(config.connections().schemaRegistryUrl());
        TrainerMain.run(config);
        return 0;
    }
}
