package io.searchloop.demo;

import io.searchloop.app.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The launcher of the embedded demo and infrastructure ({@code ./run demo}, {@code ./run infra}).
 * It is separate from {@code io.searchloop.app.Main} so that the production jar and image carry no
 * test kit.
 */
@Command(
        name = "searchloop",
        mixinStandardHelpOptions = true,
        version = "searchloop 0.1.0",
        description =
                "The embedded demo and infrastructure: everything in one JVM, for trying searchloop out.",
        subcommands = {DemoCommand.class, InfraCommand.class, CommandLine.HelpCommand.class})
public final class DemoMain implements Runnable {

    public static void main(String[] args) {
        System.exit(
                new CommandLine(new DemoMain())
                        .setCaseInsensitiveEnumValuesAllowed(true)
                        .setExecutionExceptionHandler(Main::configurationError)
                        .execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
