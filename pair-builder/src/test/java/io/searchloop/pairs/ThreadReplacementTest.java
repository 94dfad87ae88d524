package io.searchloop.pairs;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadReplacementTest {

    @Test
    void shouldReplaceAFailedThreadOnlySoOftenThenShutTheInstanceDown() {
        PairMetrics metrics = new PairMetrics();
        ThreadReplacement policy = new ThreadReplacement(2, metrics);
        IllegalStateException poison = new IllegalStateException("a record that fails every time");
        assertThat(policy.handle(poison)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.handle(poison)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.handle(poison)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(metrics.threadsReplacedCount()).isEqualTo(2);
        assertThat(new ThreadReplacement(0, metrics).handle(poison))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
