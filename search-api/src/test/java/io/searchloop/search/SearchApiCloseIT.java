package io.searchloop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.schemas.config.Connections;
import io.searchloop.search.lexical.CatalogLock;
import io.searchloop.testkit.KafkaFixture;
import io.searchloop.testkit.PostgresFixture;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Closing the search API while its lexical index is reading the catalog does not wait for the read
 * to end: here the read waits behind a lock another transaction holds on the catalog table, as it
 * would behind a slow or unreachable database.
 */
class SearchApiCloseIT {

    @Test
    void shouldCloseWithoutWaitingForALexicalRefreshStuckInTheDatabase() throws Exception {
        String prefix = KafkaFixture.uniqueName("search-close") + ".";
        KafkaFixture.provision(prefix, 1);
        PostgresFixture.Database database = PostgresFixture.newSchema("search_close");
        Connections connections =
                Connections.of(KafkaFixture.bootstrapServers(), "mock://" + prefix, database.url())
                        .withTopicPrefix(prefix);
        EmbedderService.migrate(EmbedderConfig.defaults(connections));
        try (CatalogLock lock = new CatalogLock(database.connect())) {
            SearchApiService api = new SearchApiService(SearchConfig.defaults(connections));
            Duration took;
            try {
                api.start(0);
                await().atMost(Duration.ofMinutes(1)).until(() -> lock.readersWaiting() > 0);
            } finally {
                long t0 = System.nanoTime();
                api.close();
                took = Duration.ofNanos(System.nanoTime() - t0);
            }
            // The old close waited 10 s for the refresher before giving up on it.
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }
}
