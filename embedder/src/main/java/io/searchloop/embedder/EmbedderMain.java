package io.searchloop.embedder;

import java.util.concurrent.CountDownLatch;

/** Runs the embedder from environment variables until SIGTERM/Ctrl-C. Wiring only. */
public final class EmbedderMain {
    private EmbedderMain() {}

    public static void main(String[] args) throws InterruptedException {
        run(EmbedderConfig.fromEnv(System.getenv()));
    }

    public static void run(EmbedderConfig config) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        try (EmbedderService service = new EmbedderService(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "embedder-shutdown"));
            service.start();
            stopped.await();
        }
    }
}
