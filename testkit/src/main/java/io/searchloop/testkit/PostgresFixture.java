package io.searchloop.testkit;

import io.searchloop.schemas.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One PostgreSQL + pgvector server per JVM for tests, the demo and benchmarks, chosen in this
 * order: {@code DATABASE_URL} if set; a Testcontainers {@code pgvector/pgvector} container if a
 * Docker engine answers; else a throw-away cluster from this machine's binaries ({@link
 * EmbeddedPostgres}). Tests isolate themselves by schema ({@link #newSchema}). It is stopped at JVM
 * exit.
 */
public final class PostgresFixture {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresFixture.class);
    static final String PGVECTOR_IMAGE = "pgvector/pgvector:0.8.0-pg17";

    private static Database database;

    private PostgresFixture() {}

    /** The shared server, starting it on first use. */
    public static synchronized Database database() {
        if (database == null) {
            database = start(System.getenv());
        }
        return database;
    }

    private static Database start(Map<String, String> env) {
        String url = env.get("DATABASE_URL");
        if (url != null && !url.isBlank()) {
            Database external = Database.fromUrl(url);
            LOG.info(
                    "using PostgreSQL at DATABASE_URL ({})",
                    DatabaseUrl.redacted(external.jdbcUrl()));
            external.execute("CREATE EXTENSION IF NOT EXISTS vector");
            return external;
        }
        if (KafkaFixture.Docker.available(env)) {
            PostgreSQLContainer<?> container =
                    new PostgreSQLContainer<>(
                            DockerImageName.parse(PGVECTOR_IMAGE)
                                    .asCompatibleSubstituteFor("postgres"));
            container.start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(container::stop, "postgres-container-stop"));
            Database db =
                    new Database(
                            container.getJdbcUrl(),
                            container.getUsername(),
                            container.getPassword());
            db.execute("CREATE EXTENSION IF NOT EXISTS vector");
            return db;
        }
        EmbeddedPostgres pg = EmbeddedPostgres.start();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "embedded-postgres-stop"));
        return new Database(pg.jdbcUrl("postgres"), "postgres", "");
    }

    /**
     * Creates a fresh schema and returns the database with that schema first on the search path
     * (and {@code public} after it, where the {@code vector} type lives).
     */
    public static Database newSchema(String prefix) {
        String schema =
                (prefix + "_" + UUID.randomUUID().toString().substring(0, 8))
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9_]", "_");
        Database db = database();
        db.execute("CREATE SCHEMA " + schema);
        DatabaseUrl withSchema = db.url().withSchema(schema);
        return new Database(withSchema.jdbcUrl(), withSchema.user(), withSchema.password());
    }

    /**
     * Connection details of a database (and search path); {@link #toString()} hides the password.
     */
    public record Database(String jdbcUrl, String user, String password) {
        /**
         * Accepts {@code jdbc:postgresql://…} or {@code postgres(ql)://user:password@host:port/db}.
         */
        public static Database fromUrl(String url) {
            DatabaseUrl parsed = DatabaseUrl.parse(url);
            return new Database(parsed.jdbcUrl(), parsed.user(), parsed.password());
        }

        /** As the services take it. */
        public DatabaseUrl url() {
            return new DatabaseUrl(jdbcUrl, user, password);
        }

        public Connection connect() throws SQLException {
            return url().connect();
        }

        public void execute(String sql) {
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot execute " + sql + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "Database[" + jdbcUrl + ", user=" + user + ", password=****]";
        }
    }
}
