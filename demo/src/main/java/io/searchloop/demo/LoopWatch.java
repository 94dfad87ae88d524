package io.searchloop.demo;

import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.contracts.ActiveIndexView;
import io.searchloop.schemas.contracts.PublishedVersions;
import io.searchloop.search.SearchApiService;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Waits for the loop's milestones the way any reader sees them — the views the embedder and the
 * trainer publish, and the search API's own model — so the demo, its integration test and the loop
 * benchmark wait the same way, for one model named by the services' configuration.
 */
public final class LoopWatch {
    private static final Duration POLL = Duration.ofMillis(100);

    private final DatabaseUrl database;
    private final String model;

    public LoopWatch(DatabaseUrl database, String model) {
        this.database = database;
        this.model = model;
    }

    public String model() {
        return model;
    }

    /** Waits until {@code version}'s index is the active one with at least {@code items} rows. */
    public void awaitActiveIndex(String version, long items, Duration timeout) {
        await(
                "the index of " + version + " active with " + items + " items",
                timeout,
                () -> {
                    try (Connection c = database.connect()) {
                        Optional<ActiveIndexView.ActiveIndex> active =
                                ActiveIndexView.read(c, model);
                        return active.isPresent()
                                && active.get().version().equals(version)
                                && rows(c, active.get().table()) >= items;
                    }
                });
    }

    /** The versions the trainer has recorded so far, oldest first. */
    public List<PublishedVersions.Version> versions() throws SQLException {
        try (Connection c = database.connect()) {
            return PublishedVersions.read(c, model);
        }
    }

    /**
     * Waits for the first version after the first {@code versionsBefore} that is decided (no longer
     * a candidate).
     */
    public PublishedVersions.Version awaitDecision(int versionsBefore, Duration timeout) {
        PublishedVersions.Version[] decided = {null};
        await(
                "a training decision",
                timeout,
                () -> {
                    List<PublishedVersions.Version> all = versions();
                    if (all.size() > versionsBefore
                            && !all.get(versionsBefore).status().equals("CANDIDATE")) {
                        decided[0] = all.get(versionsBefore);
                    }
                    return decided[0] != null;
                });
        return decided[0];
    }

    /** Waits until the search API answers with {@code version}; returns when it first did. */
    public static Instant awaitServing(SearchApiService search, String version, Duration timeout) {
        await(
                "the search API serving " + version,
                timeout,
                () ->
                        search.api()
                                .models()
                                .peek()
                                .map(m -> m.version().equals(version))
                                .orElse(false));
        return Instant.now();
    }

    /**
     * Polls {@code done} until it holds; an exception from it counts as "not yet" (a service may
     * not have created its tables). Fails with {@code what} after {@code timeout}.
     */
    public static void await(String what, Duration timeout, Callable<Boolean> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (done.call()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException(
                "timed out after " + timeout + " waiting for " + what, last);
    }

    private static long rows(Connection c, String table) throws SQLException {
        if (!table.matches("[a-z0-9_]+")) {
            throw new IllegalStateException("unexpected index table name " + table);
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
