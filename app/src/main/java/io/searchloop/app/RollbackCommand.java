package io.searchloop.app;

import io.searchloop.schemas.outbox.OutboxRelay;
import io.searchloop.schemas.registry.SchemaRegistries;
import io.searchloop.schemas.topics.Topics;
import io.searchloop.trainer.ModelEvents;
import io.searchloop.trainer.Promotions;
import io.searchloop.trainer.TrainerConfig;
import io.searchloop.trainer.store.TrainerStore;
import io.searchloop.trainer.store.VersionRow;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Re-promotes an earlier model version; the current one is marked ROLLED_BACK. */
@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description =
                "Re-promote an earlier version of MODEL_NAME (its artifact must still exist and match its sha256); "
                        + "the current version becomes ROLLED_BACK. Uses the trainer's environment variables.")
final class RollbackCommand implements Callable<Integer> {
    @Option(
            names = "--version",
            required = true,
            description = "The version to promote again, e.g. v3.")
    String version;

    @Option(
            names = "--reason",
            defaultValue = "operator rollback",
            description = "Recorded with the change. Default: ${DEFAULT-VALUE}.")
    String reason;

    @Override
    public Integer call() throws Exception {
        TrainerConfig config = TrainerConfig.fromEnv(System.getenv());
        TrainerStore store = new TrainerStore(config.connections().database());
        store.migrate();
        Topics topics =
                Topics.autoRegistering(
                        SchemaRegistries.connect(
                                Standalone.sharedRegistry(
                                        config.connections().schemaRegistryUrl())),
                        config.connections().topicPrefix());
        try (ModelEvents events =
                new ModelEvents(config.connections().bootstrapServers(), topics.modelVersions())) {
            OutboxRelay<VersionRow> relay =
                    new OutboxRelay<>("model-version events", store.outbox(), events::publish);
            new Promotions(store.versions(), relay, config.modelName()).rollback(version, reason);
            if (!store.outbox().unsent(1).isEmpty()) {
                System.out.println(
                        "recorded; the model-versions event could not be published yet and stays in the outbox for the trainer to send");
            }
        }
        System.out.println("promoted " + version + " of " + config.modelName() + " again");
        return 0;
    }
}
