package io.searchloop.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTest {
    @Test
    void shouldNotTakeATestRunWithRedirectedStreamsForATerminal() {
        // Surefire's forked JVM reads and writes pipes. On JDK 22-24 System.console() is not null
        // there, so the old null check fails this when the tests run on one of those JDKs (17 and
        // 25 return null either way).
        assertThat(Terminal.attached()).isFalse();
    }
}
