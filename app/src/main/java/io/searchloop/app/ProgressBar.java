package io.searchloop.app;

import java.io.PrintStream;

/** A one-line text progress bar per phase, redrawn in place; a new phase starts a new line. */
final class ProgressBar {
    private final PrintStream out;
    private String phase;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    /**
     * Draws {@code phase}'s bar; {@code total} 0 means unknown (the bar shows only what is done).
     */
    synchronized void update(String phase, long done, long total, String detail) {
        if (this.phase != null && !this.phase.equals(phase)) {
            out.println();
        }
        this.phase = phase;
        int width = 30;
        String bar =
                total <= 0
                        ? "-".repeat(width)
                        : "#".repeat((int) Math.min(width, width * done / total))
                                + " ".repeat(width - (int) Math.min(width, width * done / total));
        out.print(
                "\r"
                        + String.format("%-24s", phase)
                        + " ["
                        + bar
                        + "] "
                        + done
                        + (total > 0 ? "/" + total : "")
                        + "  "
                        + detail
                        + "   ");
        out.flush();
    }

    synchronized void finish() {
        if (phase != null) {
            out.println();
            phase = null;
        }
    }
}
