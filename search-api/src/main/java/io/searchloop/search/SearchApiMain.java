package io.searchloop.search;

import io.searchloop.schemas.config.ServiceRunner;

/**
 * Runs the search-api until SIGTERM/Ctrl-C (the launcher's `search-api` command starts it through
 * here). Wiring only.
 */
public final class SearchApiMain {
    private SearchApiMain() {}

    public static void run(SearchConfig config) throws Exception {
        ServiceRunner.runUntilStopped(
                "search-api", new SearchApiService(config), s -> s.start(config.port()));
    }
}
