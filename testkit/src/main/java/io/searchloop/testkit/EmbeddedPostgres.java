package io.searchloop.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away PostgreSQL cluster from this machine's server binaries, with pgvector, on a free
 * loopback port, in a temporary directory that {@link #close()} removes. Durability is switched off
 * (fsync, synchronous commit) because nothing in it outlives the process. {@code initdb} refuses to
 * run as root, so as root every server command runs as the {@code postgres} user.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    static final String INSTALL_HINT = "install them with: sudo scripts/install-deps";

    private final Path binDir;
    private final Path dir;
    private final int port;

    private EmbeddedPostgres(Path binDir, Path dir, int port) {
        this.binDir = binDir;
        this.dir = dir;
        this.port = port;
    }

    /** Creates, starts and prepares (pgvector extension) a new cluster. */
    public static EmbeddedPostgres start() {
        long started = System.nanoTime();
        Path binDir = findBinaries();
        requirePgvector(binDir);
        Path dir = TempDirs.create("searchloop-pg-");
        int port = FreePorts.next();
        EmbeddedPostgres pg = new EmbeddedPostgres(binDir, dir, port);
        try {
            if (runningAsRoot()) {
                run(List.of("chown", "postgres:postgres", dir.toString()), false);
            }
            Path data = dir.resolve("data");
            pg.runAsOwner(
                    List.of(
                            binDir.resolve("initdb").toString(),
                            "-D",
                            data.toString(),
                            "-U",
                            "postgres",
                            // C.UTF-8, not C: under LC_CTYPE=C PostgreSQL lower-cases only ASCII,
                            // so to_tsvector keeps "Дымоход"
                            // capitalised and a query for "дымоход" never matches it (the
                            // production images default to a UTF-8 locale).
                            "-A",
                            "trust",
                            "-E",
                            "UTF8",
                            "--locale=C.UTF-8",
                            "--no-sync"));
            pg.runAsOwner(
                    List.of(
                            binDir.resolve("pg_ctl").toString(),
                            "-D",
                            data.toString(),
                            "-l",
                            dir.resolve("postgres.log").toString(),
                            "-w",
                            "-t",
                            "60",
                            "-o",
                            String.join(
                                    " ",
                                    "-p",
                                    Integer.toString(port),
                                    "-k",
                                    dir.toString(),
                                    "-c",
                                    "listen_addresses=127.0.0.1",
                                    "-c",
                                    "fsync=off",
                                    "-c",
                                    "synchronous_commit=off",
                                    "-c",
                                    "full_page_writes=off",
                                    "-c",
                                    "max_connections=200"),
                            "start"));
            try (Connection c =
                            DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
            LOG.info(
                    "embedded PostgreSQL up on port {} in {} ms",
                    port,
                    (System.nanoTime() - started) / 1_000_000);
            return pg;
        } catch (SQLException e) {
            pg.close();
            throw new IllegalStateException(
                    "embedded PostgreSQL started but cannot be prepared: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    private static Path findBinaries() {
        String configured = System.getenv("PG_BIN");
        if (configured != null && Files.isExecutable(Path.of(configured, "initdb"))) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found =
                        versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                                .max(
                                        Comparator.comparingInt(
                                                v -> parseIntOr(v.getFileName().toString(), 0)));
                if (found.isPresent()) {
                    return found.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException(
                "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql "
                        + "and PG_BIN is not set; "
                        + INSTALL_HINT);
    }

    private static void requirePgvector(Path binDir) {
        String shareDir =
                run(List.of(binDir.resolve("pg_config").toString(), "--sharedir"), false).trim();
        if (!Files.exists(Path.of(shareDir, "extension", "vector.control"))) {
            throw new IllegalStateException(
                    "the pgvector extension is not installed for "
                            + binDir.getParent()
                            + " (no "
                            + shareDir
                            + "/extension/vector.control); "
                            + INSTALL_HINT);
        }
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void runAsOwner(List<String> command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, true);
    }

    private static String run(List<String> command, boolean inTempCwd) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (inTempCwd) {
                builder.directory(Path.of(System.getProperty("java.io.tmpdir")).toFile());
            }
            Process process = builder.start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "command failed ("
                                + process.exitValue()
                                + "): "
                                + String.join(" ", command)
                                + "\n"
                                + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                runAsOwner(
                        List.of(
                                binDir.resolve("pg_ctl").toString(),
                                "-D",
                                dir.resolve("data").toString(),
                                "-m",
                                "immediate",
                                "-w",
                                "stop"));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not stop embedded PostgreSQL on port {}: {}", port, e.getMessage());
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }
}
