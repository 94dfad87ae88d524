package io.searchloop.search.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.searchloop.search.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final ImpressionTokens.Key OLD =
            new ImpressionTokens.Key(
                    "k1", "old-secret-0123456789".getBytes(StandardCharsets.UTF_8));
    private static final ImpressionTokens.Key NEW =
            new ImpressionTokens.Key(
                    "k2", "new-secret-0123456789".getBytes(StandardCharsets.UTF_8));

    @Test
    void shouldTreatKeysWithTheSameIdAndSecretAsTheSameKey() {
        ImpressionTokens.Key copy =
                new ImpressionTokens.Key(
                        "k1", "old-secret-0123456789".getBytes(StandardCharsets.UTF_8));
        assertThat(copy).isEqualTo(OLD).hasSameHashCodeAs(OLD);
        assertThat(
                        new ImpressionTokens.Key(
                                "k1", "other-secret-0123456789".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(OLD);
        assertThat(copy).isNotEqualTo(NEW);
    }

    @Test
    void shouldVerifyATokenAndTellWhereEachProductWasShown() {
        ImpressionTokens tokens = new ImpressionTokens(List.of(NEW), Duration.ofMinutes(35));
        String token = tokens.issue("req-1", "s-1", List.of("a", "b", "c"), NOW);
        ImpressionTokens.Impression impression = tokens.verify(token, NOW.plusSeconds(60));
        assertThat(impression.requestId()).isEqualTo("req-1");
        assertThat(impression.sessionId()).isEqualTo("s-1");
        assertThat(impression.positionOf("c")).isEqualTo(3);
        assertThat(impression.positionOf("z")).isZero();
        assertThat(tokens.verify(tokens.issue("req-2", null, List.of(), NOW), NOW).sessionId())
                .isNull();
    }

    @Test
    void shouldRefuseForgedExpiredAndUnknownKeyTokensWith4xx() {
        ImpressionTokens tokens = new ImpressionTokens(List.of(NEW), Duration.ofMinutes(35));
        String token = tokens.issue("req-1", "s-1", List.of("a"), NOW);
        String[] parts = token.split("\\.", -1);
        String otherPayload =
                tokens.issue("req-evil", "s-1", List.of("x"), NOW).split("\\.", -1)[1];
        assertThat(status(tokens, parts[0] + "." + otherPayload + "." + parts[2], NOW))
                .as("payload swapped")
                .isEqualTo(401);
        assertThat(status(tokens, token, NOW.plus(Duration.ofMinutes(36))))
                .as("expired")
                .isEqualTo(410);
        assertThat(status(tokens, "k9." + parts[1] + "." + parts[2], NOW))
                .as("unknown key")
                .isEqualTo(401);
        assertThat(status(tokens, "garbage", NOW)).isEqualTo(400);
        assertThat(status(tokens, null, NOW)).isEqualTo(400);
        assertThat(status(tokens, parts[0] + ".!!!." + parts[2], NOW)).isEqualTo(400);
    }

    @Test
    void shouldAcceptTokensOfThePreviousKeyDuringARotation() {
        String issuedBeforeRotation =
                new ImpressionTokens(List.of(OLD), Duration.ofMinutes(35))
                        .issue("r", "s", List.of("a"), NOW);
        ImpressionTokens rotated = new ImpressionTokens(List.of(NEW, OLD), Duration.ofMinutes(35));
        assertThat(rotated.verify(issuedBeforeRotation, NOW).requestId()).isEqualTo("r");
        assertThat(rotated.issue("r", "s", List.of("a"), NOW)).startsWith("k2.");
        assertThat(
                        status(
                                new ImpressionTokens(List.of(NEW), Duration.ofMinutes(35)),
                                issuedBeforeRotation,
                                NOW))
                .as("after the rotation")
                .isEqualTo(401);
    }

    @Test
    void shouldAcceptEachEngagementOnceAndStayBounded() {
        EngagementLedger ledger = new EngagementLedger(2);
        Instant expires = NOW.plusSeconds(60);
        assertThat(ledger.record("t", "a", "CLICK", expires, NOW))
                .isEqualTo(EngagementLedger.Outcome.NEW);
        assertThat(ledger.record("t", "a", "CLICK", expires, NOW))
                .isEqualTo(EngagementLedger.Outcome.DUPLICATE);
        assertThat(ledger.record("t", "a", "PURCHASE", expires, NOW))
                .isEqualTo(EngagementLedger.Outcome.NEW);
        assertThat(ledger.record("t", "b", "CLICK", expires, NOW))
                .as("full of live entries")
                .isEqualTo(EngagementLedger.Outcome.FULL);
        assertThat(ledger.record("t", "b", "CLICK", expires, expires.plusSeconds(1)))
                .as("expired ones make room")
                .isEqualTo(EngagementLedger.Outcome.NEW);
        assertThat(ledger.size()).isEqualTo(1);
    }

    @Test
    void shouldLimitEachClientAndKeepABoundedNumberOfBuckets() {
        RateLimiter limiter = new RateLimiter(2, 3, 2);
        long t = 0;
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a", t)).isZero();
        }
        assertThat(limiter.acquire("a", t)).as("burst spent: wait a second").isEqualTo(1);
        assertThat(limiter.acquire("a", t + 500_000_000L))
                .as("one token back after half a second at 2/s")
                .isZero();
        assertThat(limiter.acquire("b", t)).isZero();
        assertThat(limiter.acquire("c", t)).as("third client shares the overflow bucket").isZero();
        assertThat(limiter.clients()).isLessThanOrEqualTo(3);
        assertThat(new RateLimiter(0, 1, 1).acquire("x", t)).as("0 turns it off").isZero();
    }

    private static int status(ImpressionTokens tokens, String token, Instant at) {
        try {
            tokens.verify(token, at);
            return 200;
        } catch (ApiException e) {
            return e.status();
        }
    }
}
