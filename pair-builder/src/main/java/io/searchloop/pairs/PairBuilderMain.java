package io.searchloop.pairs;

import java.util.concurrent.CountDownLatch;

/** Runs the pair-builder from environment variables until SIGTERM/Ctrl-C. Wiring only. */
public final class PairBuilderMain {
    private PairBuilderMain() {}

    public static void main(String[] args) throws InterruptedException {
        run(PairBuilderConfig.fromEnv(System.getenv()));
    }

    public static void run(PairBuilderConfig config) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        try (PairBuilderService service = new PairBuilderService(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "pair-builder-shutdown"));
            service.start();
            stopped.await();
        }
    }
}
