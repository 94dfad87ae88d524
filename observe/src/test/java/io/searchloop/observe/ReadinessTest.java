package io.searchloop.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    @Test
    void shouldCountAHangingCheckAsDownAfterItsTimeout() {
        CountDownLatch never = new CountDownLatch(1);
        try (Readiness readiness = new Readiness(Duration.ofMillis(200))) {
            readiness
                    .add(
                            "database",
                            () -> {
                                never.await();
                                return true;
                            })
                    .add("loop", () -> true);
            long started = System.nanoTime();
            Readiness.Report report = readiness.evaluate();
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
            assertThat(report.ready()).isFalse();
            assertThat(report.checks()).containsEntry("loop", "up");
            assertThat(report.checks().get("database")).isEqualTo("down: no answer within 200 ms");
        }
    }

    @Test
    void shouldReportWhyACheckFailed() {
        try (Readiness readiness = new Readiness(Duration.ofSeconds(1))) {
            readiness.add(
                    "database",
                    () -> {
                        throw new java.sql.SQLException("connection refused");
                    });
            assertThat(readiness.evaluate().checks())
                    .containsEntry("database", "down: SQLException: connection refused");
        }
    }

    @Test
    void shouldBeReadyWithEveryCheckUpAndRefuseDuplicateNames() {
        try (Readiness readiness = new Readiness(Duration.ofSeconds(1))) {
            readiness.add("a", () -> true).add("b", () -> true);
            assertThat(readiness.evaluate().ready()).isTrue();
            assertThatThrownBy(() -> readiness.add("a", () -> true))
                    .hasMessageContaining("a added twice");
        }
    }
}
