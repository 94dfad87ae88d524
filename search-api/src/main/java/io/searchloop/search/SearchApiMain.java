package io.searchloop.search;

import io.searchloop.schemas.config.ServiceRunner;

/** Runs the search-api from environment variables until SIGTERM/Ctrl-C. Wiring only. */
public final class SearchApiMain {
    private SearchApiMain() {}

    public static void main(String[] args) throws Exception {
        run(SearchConfig.fromEnv(System.getenv()));
    }

    public static void run(SearchConfig config) throws Exception {
        ServiceRunner.runUntilStopped(
                "search-api", new SearchApiService(config), s -> s.start(config.port()));
    }
}
