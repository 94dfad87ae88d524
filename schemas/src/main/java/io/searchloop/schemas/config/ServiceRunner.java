package io.searchloop.schemas.config;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a service until SIGTERM/Ctrl-C: start it, wait, and close it from the shutdown hook. What
 * every service's Main does.
 */
public final class ServiceRunner {
    /** Starts the service (some starts take arguments, e.g. a port). */
    @FunctionalInterface
    public interface Starter<S> {
        void start(S service) throws Exception;
    }

    private ServiceRunner() {}

    public static <S extends AutoCloseable> void runUntilStopped(
            String name, S service, Starter<S> starter) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (service) {
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        try {
                                            service.close();
                                        } catch (Exception e) {
                                            throw new IllegalStateException(
                                                    "cannot stop " + name, e);
                                        } finally {
                                            stopped.countDown();
                                        }
                                    },
                                    name + "-shutdown"));
            starter.start(service);
            stopped.await();
        }
    }
}
