package io.searchloop.app;

import io.searchloop.schemas.config.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single launcher behind {@code ./run}: one sub-command per service and tool. */
@Command(
        name = "searchloop",
        mixinStandardHelpOptions = true,
        version = "searchloop 0.1.0",
        description = "Self-improving semantic search for e-commerce catalogs.",
        subcommands = {
            PairBuilderCommand.class,
            TrainerCommand.class,
            EmbedderCommand.class,
            SearchApiCommand.class,
            RollbackCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            EncodeCommand.class,
            ModelsCommand.class,
            TopicsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(
                new CommandLine(new Main())
                        .setExecutionExceptionHandler(Main::configurationError)
                        .execute(args));
    }

    /**
     * A configuration that cannot work is reported in one line (status 78, EX_CONFIG), not as a
     * stack trace.
     */
    public static int configurationError(
            Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof ConfigurationException) {
            command.getErr().println(command.getCommandName() + ": " + e.getMessage());
            return 78;
        }
        throw e;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
