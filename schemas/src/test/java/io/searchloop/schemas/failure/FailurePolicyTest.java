package io.searchloop.schemas.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.schemas.registry.RegistryUnavailableException;
import io.searchloop.schemas.registry.SchemaRegistryException;
import io.searchloop.schemas.registry.UnknownSchemaIdException;
import io.searchloop.schemas.serde.MalformedEventException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {

    @Test
    void shouldRetryWhenTheRegistryIsUnreachableOrRefusesTheClient() {
        assertThat(
                        FailurePolicy.classify(
                                new RegistryUnavailableException(
                                        "down", -1, new ConnectException("refused"))))
                .isEqualTo(FailurePolicy.Kind.TRANSIENT);
        assertThat(FailurePolicy.isTransient(new SchemaRegistryException("HTTP 401", 401)))
                .isTrue();
    }

    @Test
    void shouldDeadLetterRecordsThatCanNeverBeRead() {
        assertThat(
                        FailurePolicy.classify(
                                new UnknownSchemaIdException("schema id 99 not found", 40403)))
                .isEqualTo(FailurePolicy.Kind.PERMANENT);
        assertThat(FailurePolicy.classify(new MalformedEventException("trailing bytes")))
                .isEqualTo(FailurePolicy.Kind.PERMANENT);
        assertThat(
                        FailurePolicy.classify(
                                new IllegalArgumentException("catalog item p1 has no title")))
                .isEqualTo(FailurePolicy.Kind.PERMANENT);
    }

    @Test
    void shouldTellAnUnavailableDatabaseFromABadStatement() {
        assertThat(FailurePolicy.isTransient(new SQLException("connection refused", "08001")))
                .isTrue();
        assertThat(
                        FailurePolicy.isTransient(
                                new SQLException(
                                        "terminating connection due to administrator command",
                                        "57P01")))
                .isTrue();
        assertThat(
                        FailurePolicy.isTransient(
                                new SQLException(
                                        "canceling statement due to statement timeout", "57014")))
                .isTrue();
        assertThat(
                        FailurePolicy.isTransient(
                                new SQLException(
                                        "I/O error",
                                        null,
                                        new java.net.SocketTimeoutException("Read timed out"))))
                .isTrue();
        assertThat(FailurePolicy.isTransient(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(FailurePolicy.isTransient(new SQLException("relation does not exist", "42P01")))
                .isFalse();
    }

    @Test
    void shouldFindATransientCauseUnderWrappers() {
        assertThat(
                        FailurePolicy.isTransient(
                                new IllegalStateException(
                                        "cannot publish", new TimeoutException("no broker"))))
                .isTrue();
        assertThat(
                        FailurePolicy.isTransient(
                                new IllegalStateException(
                                        "artifact missing",
                                        new java.nio.file.NoSuchFileException("/m/v3"))))
                .isFalse();
    }

    @Test
    void shouldDoubleTheBackoffUpToItsMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(350));
        assertThat(backoff.next().toMillis()).isBetween(100L, 120L);
        assertThat(backoff.next().toMillis()).isBetween(200L, 240L);
        assertThat(backoff.next().toMillis()).isBetween(350L, 420L);
        assertThat(backoff.next().toMillis()).isBetween(350L, 420L);
        backoff.reset();
        assertThat(backoff.next().toMillis()).isBetween(100L, 120L);
    }
}
