package io.searchloop.search.lexical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.embedder.EmbedderService;
import io.searchloop.embedder.catalog.CatalogRepository;
import io.searchloop.events.CatalogItem;
import io.searchloop.schemas.config.Connections;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.keys.ProductText;
import io.searchloop.search.http.ApiException;
import io.searchloop.search.query.Hit;
import io.searchloop.testkit.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process lexical index against the embedder's real catalog tables in PostgreSQL: it is
 * loaded from the catalog view, follows updates and deletions the embedder stores, refuses searches
 * before its first load, and keeps answering while it refreshes.
 */
class LuceneLexicalIT {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private DatabaseUrl database;
    private final CatalogRepository catalog = new CatalogRepository();

    @BeforeEach
    void createCatalog() throws SQLException {
        PostgresFixture.Database db = PostgresFixture.newSchema("lucene_lexical");
        EmbedderConfig config =
                EmbedderConfig.defaults(
                        Connections.of("localhost:9092", "mock://lexical", db.url()));
        EmbedderService.migrate(config);
        database = config.connections().database();
        upsert(
                T0,
                item("p1", "Дымоход сэндвич из нержавеющей стали 115/200 мм", "Дымоходы"),
                item("p2", "Труба дымохода оцинкованная 150 мм", "Дымоходы"),
                item("p3", "Шуруповерт аккумуляторный 18В", "Электроинструмент"));
    }

    private static CatalogItem item(String id, String title, String category) {
        return CatalogItem.newBuilder()
                .setId(id)
                .setTitle(title)
                .setCategory(category)
                .setUpdatedAt(T0)
                .build();
    }

    private void upsert(Instant at, CatalogItem... items) throws SQLException {
        Map<String, CatalogItem> upserts = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        for (CatalogItem i : items) {
            i.setUpdatedAt(at);
            upserts.put(i.getId(), i);
            texts.put(i.getId(), ProductText.of(i, List.of()));
        }
        try (Connection c = database.connect()) {
            catalog.apply(c, upserts, texts, Map.of(), new ArrayList<>());
        }
    }

    private void delete(String id, Instant at) throws SQLException {
        try (Connection c = database.connect()) {
            catalog.apply(c, Map.of(), Map.of(), Map.of(id, at), new ArrayList<>());
        }
    }

    private static List<String> ids(LuceneLexical lexical, String query) {
        return lexical.search(query, null, 10).stream().map(Hit::productId).toList();
    }

    @Test
    void shouldRefuseSearchesUntilLoadedThenAnswerFromTheCatalog() throws Exception {
        try (LuceneLexical lexical = new LuceneLexical(database::connect)) {
            assertThat(lexical.ready()).isFalse();
            assertThatThrownBy(() -> lexical.search("дымоход", null, 10))
                    .isInstanceOf(ApiException.class)
                    .satisfies(
                            e -> {
                                assertThat(((ApiException) e).status()).isEqualTo(503);
                                assertThat(((ApiException) e).retryAfterSeconds()).isEqualTo(1);
                            });

            assertThat(lexical.refresh()).isEqualTo(3);

            assertThat(lexical.ready()).isTrue();
            assertThat(lexical.size()).isEqualTo(3);
            assertThat(ids(lexical, "дымоход")).containsExactlyInAnyOrder("p1", "p2");
            assertThat(ids(lexical, "шуруповерт")).containsExactly("p3");
            assertThat(lexical.search("труба", "Дымоходы", 10))
                    .extracting(Hit::title)
                    .containsExactly("Труба дымохода оцинкованная 150 мм");
        }
    }

    @Test
    void shouldAbortARefreshWaitingOnTheDatabaseWhenClosed() throws Exception {
        try (CatalogLock lock = new CatalogLock(database.connect())) {
            LuceneLexical lexical = new LuceneLexical(database::connect);
            ExecutorService refresher = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> refresh = refresher.submit(lexical::refresh);
                await().atMost(Duration.ofMinutes(1)).until(() -> lock.readersWaiting() > 0);

                lexical.close();

                // Without the abort the read waits for the lock, which this test holds.
                assertThatThrownBy(() -> refresh.get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SQLException.class);
                assertThat(lexical.ready()).isFalse();
            } finally {
                refresher.shutdownNow();
            }
        }
    }

    @Test
    void shouldFollowItemsUpdatedAddedAndDeletedInTheCatalog() throws Exception {
        try (LuceneLexical lexical = new LuceneLexical(database::connect)) {
            lexical.refresh();
            Instant later = T0.plusSeconds(60);
            upsert(later, item("p3", "Гайковерт ударный 18В", "Электроинструмент"));
            upsert(later, item("p4", "Дрель ударная 750 Вт", "Электроинструмент"));
            delete("p2", later);

            assertThat(lexical.refresh()).isEqualTo(3);

            assertThat(ids(lexical, "шуруповерт")).isEmpty();
            assertThat(ids(lexical, "гайковерт")).containsExactly("p3");
            assertThat(ids(lexical, "ударный")).containsExactlyInAnyOrder("p3", "p4");
            assertThat(ids(lexical, "оцинкованная")).isEmpty();
            assertThat(ids(lexical, "дымоход")).containsExactly("p1");
            assertThat(lexical.size()).isEqualTo(3);
            assertThat(lexical.refresh()).isZero();
        }
    }

    @Test
    void shouldKeepAnsweringFromTheLastStateWhileRefreshingOrWhenARefreshFails() throws Exception {
        AtomicBoolean down = new AtomicBoolean(false);
        try (LuceneLexical lexical =
                new LuceneLexical(
                        () -> {
                            if (down.get()) {
                                throw new SQLException("connection refused", "08001");
                            }
                            return database.connect();
                        })) {
            lexical.refresh();
            List<CatalogItem> many = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                many.add(item("m" + i, "Саморез кровельный " + i + " мм", "Крепеж"));
            }
            upsert(T0.plusSeconds(60), many.toArray(CatalogItem[]::new));
            ExecutorService searches = Executors.newSingleThreadExecutor();
            AtomicBoolean refreshing = new AtomicBoolean(true);
            try {
                Future<Integer> answered =
                        searches.submit(
                                () -> {
                                    int n = 0;
                                    while (refreshing.get() || n == 0) {
                                        assertThat(ids(lexical, "сэндвич")).containsExactly("p1");
                                        n++;
                                    }
                                    return n;
                                });
                assertThat(lexical.refresh()).isEqualTo(3_000);
                refreshing.set(false);
                assertThat(answered.get(1, TimeUnit.MINUTES)).isPositive();
            } finally {
                searches.shutdownNow();
            }
            assertThat(ids(lexical, "саморез")).hasSize(10);

            down.set(true);
            assertThatThrownBy(lexical::refresh).isInstanceOf(SQLException.class);
            assertThat(ids(lexical, "сэндвич")).containsExactly("p1");
            assertThat(lexical.size()).isEqualTo(3_003);
        }
    }
}
