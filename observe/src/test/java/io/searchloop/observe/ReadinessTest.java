package io.searchloop.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    @Test
    void shouldAnswerConcurrentProbesOfAHealthyServiceReadyBySharingTheRunningChecks()
            throws Exception {
        try (Readiness readiness = new Readiness(Duration.ofSeconds(5))) {
            // Five slow checks, as search-api has: two probes at once used to need ten of the
            // eight check threads, and the second answered "still probing".
            for (int i = 0; i < 5; i++) {
                readiness.add(
                        "check-" + i,
                        () -> {
                            Thread.sleep(300);
                            return true;
                        });
            }
            ExecutorService probes = Executors.newFixedThreadPool(4);
            try {
                List<Future<Readiness.Report>> reports = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    reports.add(probes.submit(readiness::evaluate));
                }
                for (Future<Readiness.Report> report : reports) {
                    assertThat(report.get(10, TimeUnit.SECONDS).ready())
                            .as("%s", report.get().checks())
                            .isTrue();
                }
            } finally {
                probes.shutdownNow();
            }
        }
    }
}
