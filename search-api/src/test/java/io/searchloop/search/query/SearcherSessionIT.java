package io.searchloop.search.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.searchloop.testkit.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The HNSW settings a vector query needs are set once per pooled connection, before pgvector's
 * library is loaded in that session (a placeholder setting it adopts on load), so a query needs no
 * transaction and no SET of its own.
 */
class SearcherSessionIT {

    @Test
    void shouldGiveEveryPooledConnectionTheSearchSettings() throws SQLException {
        PostgresFixture.Database db = PostgresFixture.newSchema("searcher_session");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        config.setConnectionInitSql(Searcher.sessionSettings(37));
        try (HikariDataSource pool = new HikariDataSource(config)) {
            for (int i = 0; i < 3; i++) {
                try (Connection c = pool.getConnection();
                        Statement s = c.createStatement()) {
                    s.execute(
                            "SELECT '[1,2,3]'::vector <=> '[3,2,1]'::vector"); // loads pgvector in
                    // this session
                    assertThat(show(s, "hnsw.ef_search")).isEqualTo("37");
                    assertThat(show(s, "hnsw.iterative_scan")).isEqualTo("relaxed_order");
                }
            }
        }
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
