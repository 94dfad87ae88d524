package io.searchloop.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single launcher behind {@code ./run}: one sub-command per service and tool. */
@Command(name = "searchloop", mixinStandardHelpOptions = true, version = "searchloop 0.1.0",
        description = "Self-improving semantic search for e-commerce catalogs.",
        subcommands = {DemoCommand.class, PairBuilderCommand.class, TrainerCommand.class, EmbedderCommand.class, SearchApiCommand.class, RollbackCommand.class, TrainCommand.class, EvaluateCommand.class, EncodeCommand.class, ModelsCommand.class, InfraCommand.class, TopicsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
