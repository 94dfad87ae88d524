package io.searchloop.embedder.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.schemas.config.DatabaseUrl;
import io.searchloop.testkit.PostgresFixture;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FullTextLocaleIT {

    @Test
    void shouldFoldCyrillicCaseInTheTestDatabaseAndTellWhenADatabaseDoesNot() throws SQLException {
        PostgresFixture.Database server = PostgresFixture.database();
        assertThat(FullTextLocale.check(server.url()))
                .as("the database the tests (and the demo) run on")
                .isTrue();

        String name = "ctype_c_" + UUID.randomUUID().toString().substring(0, 8);
        server.execute(
                "CREATE DATABASE "
                        + name
                        + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        try {
            DatabaseUrl url = server.url();
            String jdbc =
                    url.jdbcUrl().replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
            assertThat(FullTextLocale.check(new DatabaseUrl(jdbc, url.user(), url.password())))
                    .as("LC_CTYPE=C")
                    .isFalse();
        } finally {
            server.execute("DROP DATABASE " + name);
        }
    }
}
