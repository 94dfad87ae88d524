package io.searchloop.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a service is ready: its named checks (a loop or stream thread running, a dependency
 * reachable), run side by side and each given {@code timeout}. A check that answers false, throws,
 * or does not answer in time is down, with the reason. Checks run on a small pool of their own so
 * that one hanging dependency cannot pile up request threads, and each check runs at most once at a
 * time: concurrent probes share its run, so up to eight checks never exhaust the pool; only beyond
 * that is a check down ("still probing").
 */
public final class Readiness implements AutoCloseable {
    /** One condition of readiness; returns whether it holds, or throws why not. */
    @FunctionalInterface
    public interface Check {
        boolean ok() throws Exception;
    }

    /**
     * The result: ready when every check is up; {@code checks} maps each name to "up" or "down:
     * why".
     */
    public record Report(boolean ready, Map<String, String> checks) {}

    private final Map<String, Check> checks = new LinkedHashMap<>();

    /**
     * Each check's latest run: a probe that arrives while it still runs waits for it instead of
     * starting another.
     */
    private final Map<String, Future<Boolean>> inFlight = new ConcurrentHashMap<>();

    private final Duration timeout;
    private final ThreadPoolExecutor pool;

    public Readiness(Duration timeout) {
        this.timeout = timeout;
        this.pool =
                new ThreadPoolExecutor(
                        0,
                        8,
                        30,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        r -> {
                            Thread t = new Thread(r, "readiness-check");
                            t.setDaemon(true);
                            return t;
                        });
    }

    public synchronized Readiness add(String name, Check check) {
        if (checks.putIfAbsent(name, check) != null) {
            throw new IllegalArgumentException("readiness check " + name + " added twice");
        }
        return this;
    }

    public Report evaluate() {
        Map<String, Check> now;
        synchronized (this) {
            now = new LinkedHashMap<>(checks);
        }
        List<String> names = new ArrayList<>(now.keySet());
        List<Future<Boolean>> answers = new ArrayList<>();
        for (String name : names) {
            Check check = now.get(name);
            try {
                answers.add(
                        inFlight.compute(
                                name,
                                (n, running) ->
                                        running != null && !running.isDone()
                                                ? running
                                                : pool.submit(check::ok)));
            } catch (RejectedExecutionException e) {
                answers.add(null);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> out = new LinkedHashMap<>();
        boolean ready = true;
        for (int i = 0; i < names.size(); i++) {
            String status = status(answers.get(i), deadline);
            out.put(names.get(i), status);
            ready &= status.equals("up");
        }
        return new Report(ready, out);
    }

    private String status(Future<Boolean> answer, long deadline) {
        if (answer == null) {
            return "down: still probing (earlier checks have not answered)";
        }
        try {
            return Boolean.TRUE.equals(
                            answer.get(
                                    Math.max(0, deadline - System.nanoTime()),
                                    TimeUnit.NANOSECONDS))
                    ? "up"
                    : "down";
        } catch (TimeoutException | CancellationException e) {
            // Cancelled: a concurrent probe whose deadline came first gave up on the shared run.
            answer.cancel(true);
            return "down: no answer within " + timeout.toMillis() + " ms";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "down: "
                    + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down: interrupted";
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
