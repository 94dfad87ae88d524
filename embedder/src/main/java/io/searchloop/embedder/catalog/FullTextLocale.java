package io.searchloop.embedder.catalog;

import io.searchloop.schemas.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the database lower-cases Cyrillic. Under {@code LC_CTYPE=C} PostgreSQL lower-cases
 * ASCII only: the catalog's full-text column keeps "Дымоход" capitalised and lexical search for
 * "дымоход" never finds it, silently. The check runs at start-up and says so in the log.
 */
public final class FullTextLocale {
    private static final Logger LOG = LoggerFactory.getLogger(FullTextLocale.class);

    private FullTextLocale() {}

    /**
     * Whether full text folds the case of non-ASCII letters in this database; logs a warning when
     * it does not.
     */
    public static boolean check(DatabaseUrl database) throws SQLException {
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT to_tsvector('simple', 'Дымоход') = to_tsvector('simple', 'дымоход'), "
                                        + "(SELECT datctype FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                LOG.warn(
                        "the database's LC_CTYPE is '{}', which does not lower-case non-ASCII letters: lexical search will miss capitalised "
                                + "Cyrillic words. Create the database with a UTF-8 locale (e.g. initdb --locale=C.UTF-8, or LC_CTYPE 'C.UTF-8' "
                                + "in CREATE DATABASE) and re-ingest the catalog",
                        rs.getString(2));
                return false;
            }
            return true;
        }
    }
}
