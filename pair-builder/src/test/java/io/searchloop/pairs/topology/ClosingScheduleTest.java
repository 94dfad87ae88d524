package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.events.InteractionType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosingScheduleTest {
    private static final long WINDOW = 1_000;
    private static final long GRACE = 100;

    private final ClosingSchedule schedule = new ClosingSchedule(WINDOW, GRACE);

    @Test
    void shouldReturnOnlySearchesWhoseEventTimeDeadlineHasPassed() {
        schedule.put("a", SearchState.start(0, 0).withSearch("q", null, List.of("p1"), 0));
        schedule.put("b", SearchState.start(500, 0).withSearch("q", null, List.of("p1"), 500));
        assertThat(schedule.due(1_099, Long.MIN_VALUE)).isEmpty();
        assertThat(schedule.due(1_100, Long.MIN_VALUE)).containsExactly("a");
        assertThat(schedule.due(1_600, Long.MIN_VALUE)).containsExactly("a", "b");
    }

    @Test
    void shouldMoveTheDeadlineWhenTheSearchArrivesAfterAnInteraction() {
        SearchState clickFirst =
                SearchState.start(0, 0)
                        .withTouch(new SearchState.Touch("p1", InteractionType.CLICK, 0));
        schedule.put("a", clickFirst);
        schedule.put("a", clickFirst.withSearch("q", null, List.of("p1"), 300));
        assertThat(schedule.due(1_100, Long.MIN_VALUE)).isEmpty();
        assertThat(schedule.due(1_400, Long.MIN_VALUE)).containsExactly("a");
        assertThat(schedule.size()).isEqualTo(1);
    }

    @Test
    void shouldCloseByWallClockWhenStreamTimeStandsStill() {
        schedule.put("a", SearchState.start(0, 50_000).withSearch("q", null, List.of("p1"), 0));
        assertThat(schedule.due(0, 51_099)).isEmpty();
        assertThat(schedule.due(0, 51_100)).containsExactly("a");
    }

    @Test
    void shouldForgetRemovedSearches() {
        schedule.put("a", SearchState.start(0, 0).withSearch("q", null, List.of("p1"), 0));
        schedule.put("b", SearchState.start(0, 0).withSearch("q", null, List.of("p1"), 0));
        schedule.remove("a");
        assertThat(schedule.due(5_000, 5_000)).containsExactly("b");
        assertThat(schedule.size()).isEqualTo(1);
    }
}
