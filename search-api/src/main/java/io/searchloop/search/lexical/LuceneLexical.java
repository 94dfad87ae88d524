package io.searchloop.search.lexical;

import io.searchloop.schemas.contracts.ActiveIndexView;
import io.searchloop.search.http.ApiException;
import io.searchloop.search.query.Hit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.lucene.search.IndexSearcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lexical retrieval from a {@link CatalogIndex} in this process, a cache of the catalog view in
 * PostgreSQL: {@link #refresh} reads the whole view in one statement (a consistent snapshot, a
 * thousand rows per fetch) and makes the index match it, so an item changed or deleted in the
 * catalog changes or leaves the index at the next refresh. Nothing is kept on disk: a restarted
 * instance loads the index again, and a refresh that fails leaves the last complete state
 * searchable and is retried at the next. {@link #close} aborts a refresh still reading (a socket
 * read the refresher's interrupt cannot end) instead of waiting for it. Until the first refresh
 * completes, searches are refused (answered 503 with {@code Retry-After}) and {@link #ready} is
 * false, for the readiness check and for hybrid searches, which are answered by their vector half
 * meanwhile.
 */
public final class LuceneLexical implements LexicalRetrieval, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneLexical.class);

    /** Connects to the catalog's database with no pool: refreshes are rare and long. */
    public interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector db;
    private final CatalogIndex index = new CatalogIndex();
    private volatile boolean loaded;
    private volatile boolean closed;

    /** The connection a refresh reads the catalog through, for {@link #close} to abort. */
    private volatile Connection reading;

    public LuceneLexical(Connector db) {
        this.db = db;
    }

    /**
     * Reads the catalog view and makes the index match it; returns how many items changed. Called
     * by one refresher thread (serialized by the index).
     */
    public int refresh() throws SQLException, IOException {
        long t0 = System.nanoTime();
        int changed;
        try (Connection c = db.connect()) {
            // Published before closed is read, as close() sets closed before reading it: either
            // this refresh sees closed or close() sees (and aborts) its connection.
            reading = c;
            if (closed) {
                throw new SQLException("the lexical index is closed");
            }
            // The driver streams a result in batches only inside a transaction.
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet rs =
                        s.executeQuery(
                                "SELECT id, title, category FROM " + ActiveIndexView.CATALOG)) {
                    changed = index.replaceAll(() -> rows(rs));
                }
            } catch (UncheckedSql e) {
                throw e.getCause();
            } finally {
                c.rollback();
            }
        } finally {
            reading = null;
        }
        if (!loaded || changed > 0) {
            LOG.info(
                    "lexical index: {} items, {} changed, {} KiB, refreshed in {} ms",
                    index.size(),
                    changed,
                    index.ramBytes() / 1024,
                    (System.nanoTime() - t0) / 1_000_000);
        }
        loaded = true;
        return changed;
    }

    /** Whether the index has been loaded once (searches are answered). */
    @Override
    public boolean ready() {
        return loaded;
    }

    public int size() {
        try {
            return index.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long ramBytes() {
        return index.ramBytes();
    }

    @Override
    public List<Hit> search(String normalizedQuery, String category, int k) {
        if (!loaded) {
            throw ApiException.unavailable("the lexical index is still loading; retry shortly");
        }
        try {
            return index.search(normalizedQuery, category, k);
        } catch (IndexSearcher.TooManyClauses e) {
            throw new ApiException(
                    400,
                    "the query has too many words to match; shorten it (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("the in-memory lexical index failed", e);
        }
    }

    /**
     * Aborts a refresh that is reading the catalog (its connection's socket is closed, so a read
     * blocked on a slow or unreachable database ends at once), waits for it to leave the index,
     * then closes the index.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        Connection c = reading;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("cannot abort the lexical index's catalog read: {}", e.toString());
            }
        }
        index.close();
    }

    private Iterator<CatalogIndex.Row> rows(ResultSet rs) {
        return new Iterator<>() {
            private Boolean ahead;

            @Override
            public boolean hasNext() {
                if (ahead == null) {
                    try {
                        if (closed) {
                            throw new SQLException("the lexical index is closed");
                        }
                        ahead = rs.next();
                    } catch (SQLException e) {
                        throw new UncheckedSql(e);
                    }
                }
                return ahead;
            }

            @Override
            public CatalogIndex.Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ahead = null;
                try {
                    return new CatalogIndex.Row(rs.getString(1), rs.getString(2), rs.getString(3));
                } catch (SQLException e) {
                    throw new UncheckedSql(e);
                }
            }
        };
    }

    /** A failed read of the view while the index consumes it, unwrapped by {@link #refresh}. */
    private static final class UncheckedSql extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedSql(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
