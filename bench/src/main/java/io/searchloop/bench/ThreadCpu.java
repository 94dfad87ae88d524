package io.searchloop.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a process's CPU went between two snapshots, by kind of thread: the Kafka Streams threads,
 * the clients' network threads, the in-process broker and the rest of the JVM's Java threads; on
 * Linux also the JVM's JIT compiler and garbage collector threads and RocksDB's background threads
 * (read from /proc in 10 ms ticks per thread: about ±0.1 s over a dozen threads, so ±2.5 µs/event
 * over 40,000 events); and what none of those accounts for (threads that ended, other native
 * threads).
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Linux's USER_HZ, which /proc reports times in; 100 on every mainstream build. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    static final String GLOBAL_THREAD = "Streams global table thread";
    static final String STREAM_THREADS = "Streams stream threads";
    static final String JIT = "JIT compiler threads";

    private final long process;
    private final Map<Long, Long> byThread;
    private final Map<Long, String> names;

    /** CPU nanoseconds of each native thread counted, by its Linux thread id. */
    private final Map<String, Long> nativeByTid;

    private final Map<String, String> nativeKinds;

    private ThreadCpu(
            long process,
            Map<Long, Long> byThread,
            Map<Long, String> names,
            Map<String, Long> nativeByTid,
            Map<String, String> nativeKinds) {
        this.process = process;
        this.byThread = byThread;
        this.names = names;
        this.nativeByTid = nativeByTid;
        this.nativeKinds = nativeKinds;
    }

    static ThreadCpu now() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                cpu.put(info.getThreadId(), nanos);
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        Map<String, Long> nativeCpu = new HashMap<>();
        Map<String, String> nativeKinds = new HashMap<>();
        readNativeThreads(nativeCpu, nativeKinds);
        return new ThreadCpu(processNanos(), cpu, names, nativeCpu, nativeKinds);
    }

    /**
     * CPU nanoseconds and kind of each of the JVM's and RocksDB's own (non-Java) threads, from
     * /proc/self/task; nothing where there is no /proc. Java threads are not read here: their names
     * never match.
     */
    private static void readNativeThreads(Map<String, Long> cpu, Map<String, String> kinds) {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return;
        }
        long nanosPerTick = 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(
                    task -> {
                        try {
                            String kind = nativeKind(Files.readString(task.resolve("comm")).trim());
                            if (kind != null) {
                                String tid = task.getFileName().toString();
                                cpu.put(tid, ticks(task) * nanosPerTick);
                                kinds.put(tid, kind);
                            }
                        } catch (IOException | RuntimeException e) {
                            // The thread ended between the listing and the read: not counted.
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            cpu.clear();
            kinds.clear();
        }
    }

    /** User plus system time of one thread, in clock ticks (fields 14 and 15 of its stat line). */
    private static long ticks(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        // The name in parentheses may hold spaces: the fields are counted after its ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String nativeKind(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (comm.startsWith("GC Thread")
                || comm.startsWith("G1 ")
                || comm.equals("VM Thread")
                || comm.equals("VM Periodic Tas")) {
            return "GC and VM threads";
        }
        if (comm.startsWith("rocksdb:")) {
            return "RocksDB background threads";
        }
        return null;
    }

    /** CPU time of this whole process (broker, Streams, everything in it) so far. */
    private static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU µs per event spent since {@code before}, by kind of thread, the whole process first. */
    Map<String, Double> perEventSince(ThreadCpu before, long events) {
        Map<String, Long> nanos = new LinkedHashMap<>();
        long total = process - before.process;
        nanos.put("process", total);
        long inThreads = 0;
        for (var e : byThread.entrySet()) {
            long spent = e.getValue() - before.byThread.getOrDefault(e.getKey(), 0L);
            nanos.merge(kind(names.get(e.getKey())), spent, Long::sum);
            inThreads += spent;
        }
        // Per thread, as above: a compiler thread that ended in between (the JVM stops idle ones)
        // falls to the rest.
        for (var e : nativeByTid.entrySet()) {
            long was = before.nativeByTid.getOrDefault(e.getKey(), 0L);
            // Less than before: a new thread that got an ended one's id.
            long spent = e.getValue() >= was ? e.getValue() - was : e.getValue();
            nanos.merge(nativeKinds.get(e.getKey()), spent, Long::sum);
            inThreads += spent;
        }
        nanos.put(
                nativeByTid.isEmpty()
                        ? "no live Java thread (RocksDB, GC, JIT, ended threads)"
                        : "rest (ended threads, other native threads)",
                total - inThreads);
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((kind, n) -> out.put(kind, Math.round(n / 100.0 / events) / 10.0));
        return out;
    }

    private static String kind(String name) {
        if (name.contains("GlobalStreamThread")) {
            return GLOBAL_THREAD;
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            return "producer network threads";
        }
        if (name.contains("StreamThread")) {
            return STREAM_THREADS;
        }
        if (name.contains("StateUpdater")) {
            return "Streams state updater";
        }
        if (name.startsWith("kafka-coordinator-heartbeat-thread")
                || name.startsWith("kafka-admin-client-thread")
                || name.equals("main")) {
            return "consumer heartbeat, admin clients, benchmark";
        }
        return "broker and other JVM threads";
    }
}
