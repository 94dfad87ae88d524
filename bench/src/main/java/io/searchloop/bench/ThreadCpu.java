package io.searchloop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a process's CPU went between two snapshots, by kind of thread: the Kafka Streams threads,
 * the clients' network threads, the in-process broker and the rest of the JVM's Java threads, and
 * what no live Java thread accounts for (RocksDB's and the JVM's native threads, threads that
 * ended).
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long process;
    private final Map<Long, Long> byThread;
    private final Map<Long, String> names;

    private ThreadCpu(long process, Map<Long, Long> byThread, Map<Long, String> names) {
        this.process = process;
        this.byThread = byThread;
        this.names = names;
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
        return new ThreadCpu(processNanos(), cpu, names);
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
        nanos.put("no live Java thread (RocksDB, GC, JIT, ended threads)", total - inThreads);
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((kind, n) -> out.put(kind, Math.round(n / 100.0 / events) / 10.0));
        return out;
    }

    static final String GLOBAL_THREAD = "Streams global table thread";
    static final String STREAM_THREADS = "Streams stream threads";

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
