package io.searchloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundScheduleTest {
    private final List<Throwable> fatal = new ArrayList<>();
    private int checks;

    @Test
    void shouldBackOffAfterAFailedRound() {
        MutableClock clock = new MutableClock();
        RoundSchedule schedule =
                new RoundSchedule(
                        () -> {
                            checks++;
                            throw new SQLException("database gone");
                        },
                        Duration.ofMinutes(1),
                        (who, cause) -> fatal.add(cause),
                        clock);
        schedule.run();
        schedule.run();
        assertThat(checks).as("the second run is within the back-off").isEqualTo(1);
        clock.now = clock.now.plusSeconds(61);
        schedule.run();
        assertThat(checks).isEqualTo(2);
        assertThat(fatal).isEmpty();
    }

    @Test
    void shouldHandAnErrorToTheFatalHandlerInsteadOfDyingSilently() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        RoundSchedule schedule =
                new RoundSchedule(
                        () -> {
                            throw oom;
                        },
                        Duration.ofMinutes(1),
                        (who, cause) -> fatal.add(cause),
                        new MutableClock());
        // A scheduled executor cancels a task whose run() throws, with nobody told: run() must
        // return normally.
        schedule.run();
        assertThat(fatal).containsExactly(oom);
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
