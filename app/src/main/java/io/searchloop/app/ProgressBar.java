package io.searchloop.app;

import java.io.PrintStream;

/** A one-line text progress bar, redrawn in place. */
final class ProgressBar {
    private final PrintStream out;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    void update(int done, int total, String detail) {
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) width * done / total);
        out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + "  " + detail + "   ");
        out.flush();
    }

    void finish() {
        out.println();
    }
}
