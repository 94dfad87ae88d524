package io.searchloop.demo;

import java.io.Console;

/**
 * Whether this JVM talks to a terminal, on every JDK the demo runs on: up to JDK 21 (and again with
 * JDK 25's default console) {@link System#console()} is null unless stdin and stdout are a
 * terminal, but JDK 22-24's JLine console is there even when both are redirected, and only {@code
 * Console.isTerminal()} (JDK 22+, hence looked up reflectively) tells.
 */
final class Terminal {
    private Terminal() {}

    // The null check answers only up to JDK 21; from JDK 22 isTerminal() does.
    @SuppressWarnings("SystemConsoleNull")
    static boolean attached() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console exists only for a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
