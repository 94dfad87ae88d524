package io.searchloop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's resident memory as Linux reports it (heap, native tensors and all), in MiB; -1 where
 * /proc is missing.
 */
final class ProcessMemory {
    private ProcessMemory() {}

    /** Resident set size now ({@code VmRSS}). */
    static long residentMib() {
        return field("VmRSS:");
    }

    /** The highest resident set size so far ({@code VmHWM}). */
    static long peakMib() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+", -1)[0])
                            / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
