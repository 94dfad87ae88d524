package io.searchloop.app;

import io.searchloop.search.SearchApiMain;
import io.searchloop.search.SearchConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Runs the search API until SIGTERM. */
@Command(
        name = "search-api",
        mixinStandardHelpOptions = true,
        description =
                "Serve /v1/search (hybrid, vector, lexical), /v1/interactions, models, admin, health, metrics and the search page "
                        + "on HTTP_PORT (8080). Configured by environment variables: see README, 'search-api'.")
final class SearchApiCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        SearchConfig config = SearchConfig.fromEnv(System.getenv());
        Standalone.sharedRegistry(config.connections().schemaRegistryUrl());
        SearchApiMain.run(config);
        return 0;
    }
}
