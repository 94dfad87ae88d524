package io.searchloop.search.query;

import com.pgvector.PGvector;
import io.searchloop.schemas.contracts.ActiveIndexView;
import io.searchloop.search.lexical.LexicalRetrieval;
import io.searchloop.search.model.ActiveModel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * The three ways to answer a query. Vector: the query embedded by the active model, top-k from its
 * HNSW index with {@code hnsw.ef_search} and pgvector's iterative index scan set once per
 * connection ({@link #sessionSettings}), so a category filter still returns k rows when enough
 * match and a query is one round trip. Lexical: the {@link LexicalRetrieval} given (an in-process
 * Lucene index or PostgreSQL full text, by {@code LEXICAL_ENGINE}). Hybrid: both retrievals at once
 * (lexical on a small bounded pool, or on the caller's thread when that is busy), fused by
 * reciprocal rank, {@code Σ 1/(k_rrf + rank)}; while the lexical retrieval is not ready, hybrid
 * requests are {@link #served} by the vector retrieval alone. All values go through prepared
 * statements; the only identifier in SQL is the index table name, checked by {@link ActiveModel}.
 */
public final class Searcher implements AutoCloseable {
    private final DataSource db;
    private final int rrfK;
    private final int candidates;
    private final ExecutorService lexicalPool;
    private final LexicalRetrieval lexical;

    /**
     * {@code parallelism}: lexical retrievals of hybrid queries that may run beside their vector
     * retrieval (0 = none).
     */
    public Searcher(
            DataSource db, LexicalRetrieval lexical, int rrfK, int candidates, int parallelism) {
        this.db = db;
        this.lexical = lexical;
        this.rrfK = rrfK;
        this.candidates = candidates;
        this.lexicalPool =
                parallelism == 0
                        ? null
                        : new ThreadPoolExecutor(
                                parallelism,
                                parallelism,
                                0,
                                TimeUnit.SECONDS,
                                new SynchronousQueue<>(),
                                r -> {
                                    Thread t = new Thread(r, "hybrid-lexical");
                                    t.setDaemon(true);
                                    return t;
                                },
                                // Busy (or shut down while a request is still running): the caller
                                // runs the lexical retrieval itself, so its future always
                                // completes.
                                (task, pool) -> task.run());
    }

    /**
     * What every connection the searcher uses must have set (a pool's connection-init SQL): the
     * HNSW search settings.
     */
    public static String sessionSettings(int efSearch) {
        return "SET hnsw.ef_search = " + efSearch + "; SET hnsw.iterative_scan = relaxed_order";
    }

    /**
     * The mode that answers a request for {@code mode} now: hybrid is answered by its vector half
     * alone while the lexical retrieval is not ready (the in-process index still loading at start),
     * rather than refused; the other modes as asked.
     */
    public SearchMode served(SearchMode mode) {
        return mode == SearchMode.HYBRID && !lexical.ready() ? SearchMode.VECTOR : mode;
    }

    public List<Hit> search(
            SearchMode mode, ActiveModel model, String normalizedQuery, String category, int k)
            throws SQLException {
        return switch (mode) {
            case VECTOR -> vector(model, normalizedQuery, category, k);
            case LEXICAL -> lexical(normalizedQuery, category, k);
            case HYBRID -> hybrid(model, normalizedQuery, category, k);
        };
    }

    private List<Hit> hybrid(ActiveModel model, String normalizedQuery, String category, int k)
            throws SQLException {
        int n = Math.max(k, candidates);
        if (lexicalPool == null) {
            return fuse(
                    vector(model, normalizedQuery, category, n),
                    lexical(normalizedQuery, category, n),
                    k);
        }
        Future<List<Hit>> lexicalHits =
                lexicalPool.submit(() -> lexical(normalizedQuery, category, n));
        List<Hit> vector;
        try {
            vector = vector(model, normalizedQuery, category, n);
        } catch (SQLException | RuntimeException e) {
            lexicalHits.cancel(true);
            throw e;
        }
        try {
            // The lexical query is bounded by the pool's statement timeout; this wait only adds a
            // margin to it.
            return fuse(vector, lexicalHits.get(5, TimeUnit.MINUTES), k);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lexicalHits.cancel(true);
            throw new IllegalStateException(
                    "interrupted while waiting for the lexical retrieval", e);
        } catch (TimeoutException e) {
            lexicalHits.cancel(true);
            throw new IllegalStateException("the lexical retrieval did not finish", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        if (lexicalPool != null) {
            lexicalPool.shutdownNow();
        }
    }

    List<Hit> vector(ActiveModel model, String normalizedQuery, String category, int k)
            throws SQLException {
        float[] query;
        try {
            query = model.encodeQuery(normalizedQuery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding the query", e);
        }
        String sql =
                "SELECT e.product_id, i.title, i.category, 1 - (e.embedding <=> ?) AS score FROM "
                        + model.table()
                        + " e "
                        + "JOIN "
                        + ActiveIndexView.CATALOG
                        + " i ON i.id = e.product_id WHERE (?::text IS NULL OR i.category = ?) "
                        + "ORDER BY e.embedding <=> ? LIMIT ?";
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            PGvector.addVectorType(c);
            PGvector v = new PGvector(query);
            ps.setObject(1, v);
            ps.setString(2, category);
            ps.setString(3, category);
            ps.setObject(4, v);
            ps.setInt(5, k);
            return Hit.query(ps);
        }
    }

    List<Hit> lexical(String normalizedQuery, String category, int k) throws SQLException {
        return lexical.search(normalizedQuery, category, k);
    }

    /** Reciprocal-rank fusion of two rankings; the fused score is the RRF sum. */
    List<Hit> fuse(List<Hit> vector, List<Hit> lexical, int k) {
        Map<String, Hit> byId = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (List<Hit> list : List.of(vector, lexical)) {
            for (int rank = 0; rank < list.size(); rank++) {
                Hit h = list.get(rank);
                byId.putIfAbsent(h.productId(), h);
                scores.merge(h.productId(), 1.0 / (rrfK + rank + 1), Double::sum);
            }
        }
        return scores.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry::getKey))
                .limit(k)
                .map(
                        e -> {
                            Hit h = byId.get(e.getKey());
                            return new Hit(h.productId(), h.title(), h.category(), e.getValue());
                        })
                .toList();
    }
}
