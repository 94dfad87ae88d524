package io.searchloop.trainer.store;

import io.searchloop.events.ModelStatus;
import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.schemas.outbox.OutboxRelay;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * The trainer's database (schema managed by Flyway, migrations in {@code db/trainer}): one
 * repository per table group, and the one transaction that spans them, {@link #recordRound}. Every
 * write is idempotent under replay (see {@link PairRepository}); every status change of a model
 * version writes its history and outbox rows in the same transaction (see {@link OutboxRelay}).
 */
public final class TrainerStore {
    private final DatabaseUrl database;
    private final PairRepository pairs;
    private final CatalogRepository catalog;
    private final TriggerStateRepository triggerState;
    private final VersionRepository versions;
    private final VersionOutbox outbox;

    public TrainerStore(DatabaseUrl database) {
        this.database = database;
        this.pairs = new PairRepository(database);
        this.catalog = new CatalogRepository(database);
        this.triggerState = new TriggerStateRepository(database);
        this.versions = new VersionRepository(database);
        this.outbox = new VersionOutbox(database);
    }

    /** Applies pending migrations; safe to call from several instances. */
    public void migrate() {
        Flyway.configure()
                .dataSource(database.jdbcUrl(), database.user(), database.password())
                .locations("classpath:db/trainer")
                .table("flyway_trainer_history")
                .baselineOnMigrate(true)
                .baselineVersion(
                        "0") // a schema shared with another service is not empty, yet V1 must still
                // run
                .load()
                .migrate();
    }

    public Connection connect() throws SQLException {
        return database.connect();
    }

    public PairRepository pairs() {
        return pairs;
    }

    public CatalogRepository catalog() {
        return catalog;
    }

    public TriggerStateRepository triggerState() {
        return triggerState;
    }

    public VersionRepository versions() {
        return versions;
    }

    public VersionOutbox outbox() {
        return outbox;
    }

    /**
     * A finished round in one transaction: the candidate, the gate's verdict, the pairs it used and
     * the trigger state, with the CANDIDATE and verdict events in the outbox. A crash before the
     * commit leaves none of it; after, all of it and the relay publishes the events.
     */
    public void recordRound(
            VersionRow candidate,
            ModelStatus verdict,
            String reason,
            Instant decidedAt,
            List<String> trainKeys,
            List<String> holdoutKeys,
            long throughSeq,
            Instant startedAt)
            throws SQLException {
        Jdbc.inTransaction(
                database,
                c -> {
                    VersionRepository.insert(c, candidate);
                    VersionRepository.updateStatus(
                            c,
                            candidate.modelName(),
                            candidate.version(),
                            verdict,
                            reason,
                            decidedAt);
                    PairRepository.recordUsage(
                            c, candidate.modelName(), candidate.version(), trainKeys, holdoutKeys);
                    TriggerStateRepository.markTrained(
                            c, candidate.modelName(), throughSeq, startedAt, decidedAt);
                });
    }
}
