package io.searchloop.app.faults;

import io.searchloop.testkit.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A Kafka broker as its own process, for a test that must take the broker away (SIGKILL) and bring
 * it back on the same ports over the same storage: {@code BROKER_DIR}, {@code BROKER_PORT} and
 * {@code CONTROLLER_PORT} come from the environment. It runs until it is killed or terminated.
 */
final class StandaloneBroker {
    private StandaloneBroker() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.startIn(
                        Path.of(System.getenv("BROKER_DIR")),
                        Integer.parseInt(System.getenv("BROKER_PORT")),
                        Integer.parseInt(System.getenv("CONTROLLER_PORT")));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-stop"));
        new CountDownLatch(1).await();
    }
}
