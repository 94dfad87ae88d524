package io.searchloop.trainer;

import java.util.concurrent.CountDownLatch;

/** Runs the trainer from environment variables until SIGTERM/Ctrl-C. Wiring only. */
public final class TrainerMain {
    private TrainerMain() {}

    public static void main(String[] args) throws Exception {
        run(TrainerConfig.fromEnv(System.getenv()));
    }

    public static void run(TrainerConfig config) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (TrainerService service = new TrainerService(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "trainer-shutdown"));
            service.start();
            stopped.await();
        }
    }
}
