package io.searchloop.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void shouldTurnA12FactorUrlIntoJdbcSettings() {
        DatabaseUrl db =
                DatabaseUrl.parse("postgres://shop:pa55@db.local:6543/searchloop?sslmode=require");
        assertThat(db.jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.local:6543/searchloop?sslmode=require");
        assertThat(db.user()).isEqualTo("shop");
        assertThat(db.password()).isEqualTo("pa55");
        assertThat(db.toString()).doesNotContain("pa55");
    }

    @Test
    void shouldKeepAJdbcUrlAsItIsAndDefaultThePort() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=u").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h/db?user=u");
        assertThat(DatabaseUrl.parse("postgresql://h/db").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h:5432/db");
    }

    @Test
    void shouldPutASchemaFirstOnTheSearchPath() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db").withSchema("s1").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h/db?currentSchema=s1,public");
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=u").withSchema("s1").jdbcUrl())
                .endsWith("?user=u&currentSchema=s1,public");
    }

    @Test
    void shouldBoundEveryWaitOnTheDatabaseUnlessTheUrlSaysOtherwise() {
        java.util.Properties props =
                DatabaseUrl.parse("postgres://shop:pa55@h/db").connectionProperties();
        assertThat(props)
                .containsEntry("connectTimeout", "10")
                .containsEntry("socketTimeout", "120")
                .containsEntry("loginTimeout", "10")
                .containsEntry("tcpKeepAlive", "true")
                .containsEntry("user", "shop")
                .containsEntry("password", "pa55");
    }

    @Test
    void shouldKeepThePasswordOutOfMessagesAndLogs() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://shop:se cret@h/db"))
                .hasMessageContaining("DATABASE_URL")
                .hasMessageNotContaining("se cret")
                .hasMessageNotContaining("shop");
        DatabaseUrl jdbc =
                DatabaseUrl.parse("jdbc:postgresql://h/db?user=u&password=s3cr3t&sslmode=require");
        assertThat(jdbc.toString())
                .doesNotContain("s3cr3t")
                .contains("password=****")
                .contains("sslmode=require");
        assertThat(jdbc.jdbcUrl()).contains("s3cr3t");
    }

    @Test
    void shouldRefuseOtherSchemes() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://h/db"))
                .hasMessageContaining("DATABASE_URL");
    }
}
