package io.searchloop.search;

import java.util.concurrent.CountDownLatch;

/** Runs the search API from environment variables until SIGTERM/Ctrl-C. Wiring only. */
public final class SearchApiMain {
    private SearchApiMain() {}

    public static void main(String[] args) throws InterruptedException {
        run(SearchConfig.fromEnv(System.getenv()));
    }

    public static void run(SearchConfig config) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        try (SearchApiService service = new SearchApiService(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "search-api-shutdown"));
            service.start(config.port());
            stopped.await();
        }
    }
}
