package io.searchloop.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.testkit.PostgresFixture.Database;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void shouldTurnA12FactorUrlIntoJdbcSettings() {
        Database db = Database.fromUrl("postgres://shop:pa55@db.local:6543/searchloop?sslmode=require");
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:6543/searchloop?sslmode=require");
        assertThat(db.user()).isEqualTo("shop");
        assertThat(db.password()).isEqualTo("pa55");
        assertThat(db.toString()).doesNotContain("pa55");
    }

    @Test
    void shouldKeepAJdbcUrlAsItIsAndDefaultThePort() {
        assertThat(Database.fromUrl("jdbc:postgresql://h/db?user=u").jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?user=u");
        assertThat(Database.fromUrl("postgresql://h/db").jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
    }

    @Test
    void shouldRefuseOtherSchemes() {
        assertThatThrownBy(() -> Database.fromUrl("mysql://h/db")).hasMessageContaining("DATABASE_URL");
    }
}
