package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.searchloop.events.InteractionType;
import io.searchloop.pairs.scoring.Evidence;
import io.searchloop.pairs.scoring.PairStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class StateSerdesTest {
    /** How the versions before the binary format wrote state (JsonSerde's writer then). */
    private static final ObjectMapper PREVIOUS_WRITER = new ObjectMapper();

    private static final Evidence EVIDENCE =
            new Evidence("Дымо ход", "дымо ход", "p-1", 1.25, 0.0, 1_764_237_600_123L);
    private static final Evidence SKIP = new Evidence("q", "q", "p2", 0.0, 0.5, 42L);

    private static final SearchState SEARCH =
            new SearchState(
                    "Труба для отвода дыма",
                    "s-1",
                    List.of("p1", "p2", "p3"),
                    1_764_237_600_000L,
                    List.of(
                            new SearchState.Touch("p2", InteractionType.CLICK, 1_764_237_605_000L),
                            new SearchState.Touch(
                                    "p2", InteractionType.PURCHASE, 1_764_237_700_000L)),
                    false,
                    1_764_237_600_000L,
                    99L);
    private static final PairStats STATS =
            PairStats.empty("Q", "q", "p1").add(EVIDENCE).add(SKIP); // NaN: never emitted
    private static final ActorState ACTOR =
            new ActorState(
                    null,
                    0,
                    0,
                    List.of(
                            new ActorState.Held(10L, 20L, List.of(EVIDENCE, SKIP), 2, "r-2"),
                            new ActorState.Held(Long.MIN_VALUE, 30L, List.of(), 0, null)),
                    new TreeMap<>(Map.of(29_403_960L, 3, 29_403_961L, 1)),
                    4,
                    1,
                    List.of("r-1", "r-2"),
                    0);
    private static final PendingPair PENDING =
            new PendingPair(
                    List.of(new ActorEvidence("session:s", EVIDENCE), new ActorEvidence("r", SKIP)),
                    7L,
                    8L,
                    false);
    private static final ClosedSearch CLOSED =
            new ClosedSearch(
                    "request:r1", "r1", 5L, List.of(EVIDENCE, SKIP), List.of(5L, 6L, 7L), 1);
    private static final ActorEvidence ACTOR_EVIDENCE = new ActorEvidence("session:s", EVIDENCE);

    private record Case<T>(Serde<T> serde, T value) {
        byte[] write() {
            return serde.serializer().serialize("t", value);
        }

        T read(byte[] bytes) {
            return serde.deserializer().deserialize("t", bytes);
        }
    }

    private static List<Case<?>> cases() {
        return List.of(
                new Case<>(StateSerdes.searchState(), SEARCH),
                new Case<>(StateSerdes.searchState(), SearchState.start(5, 6)),
                new Case<>(StateSerdes.searchState(), SEARCH.asFlooded()),
                new Case<>(StateSerdes.pairStats(), STATS),
                new Case<>(StateSerdes.pairStats(), STATS.emitted(0.75, true)),
                new Case<>(StateSerdes.actorState(), ACTOR),
                new Case<>(
                        StateSerdes.actorState(), ActorState.empty().muted("SESSION_RATE", 1, 2)),
                new Case<>(
                        StateSerdes.actorState(),
                        ACTOR.withHeld(List.of(), 1_764_237_600_000L)), // remembers ids only
                new Case<>(StateSerdes.pendingPair(), PENDING),
                new Case<>(StateSerdes.pendingPair(), PENDING.asBurst()),
                new Case<>(StateSerdes.closedSearch(), CLOSED),
                new Case<>(StateSerdes.actorEvidence(), ACTOR_EVIDENCE));
    }

    @Test
    void shouldRoundTripEveryStateAndRepartitionValueInTheVersionedBinaryFormat() {
        for (Case<?> c : cases()) {
            byte[] bytes = c.write();
            int format =
                    c.value() instanceof ActorState ? StateSerdes.BINARY_V2 : StateSerdes.BINARY_V1;
            assertThat(bytes[0]).as("format byte").isEqualTo((byte) format);
            assertThat((Object) c.read(bytes)).isEqualTo(c.value());
        }
        assertThat(cases().get(0).serde().serializer().serialize("t", null)).isNull();
        assertThat(cases().get(0).serde().deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void shouldReadStateThatThePreviousVersionWroteAsJson() throws Exception {
        for (Case<?> c : cases()) {
            byte[] json = PREVIOUS_WRITER.writeValueAsBytes(c.value());
            assertThat((Object) c.read(json))
                    .as(new String(json, StandardCharsets.UTF_8))
                    .isEqualTo(c.value());
        }
    }

    @Test
    void shouldReadAnActorStateInFormatOneAsHoldingAndHavingCountedNoRequestId() {
        // ACTOR as format 1 wrote it: no request ids at the end.
        BinaryOut out = new BinaryOut();
        out.writeByte(StateSerdes.BINARY_V1);
        out.writeString(null);
        out.writeLong(0);
        out.writeLong(0);
        out.writeCount(1);
        out.writeLong(10L);
        out.writeLong(20L);
        out.writeCount(2);
        for (Evidence e : List.of(EVIDENCE, SKIP)) {
            out.writeString(e.rawQuery());
            out.writeString(e.normalizedQuery());
            out.writeString(e.productId());
            out.writeDouble(e.positive());
            out.writeDouble(e.skip());
            out.writeLong(e.timestamp());
        }
        out.writeCount(2);
        out.writeCount(1);
        out.writeLong(29_403_960L);
        out.writeCount(3);
        out.writeCount(4);
        out.writeCount(1);
        ActorState read =
                StateSerdes.actorState().deserializer().deserialize("t", out.toByteArray());
        assertThat(read)
                .isEqualTo(
                        new ActorState(
                                null,
                                0,
                                0,
                                List.of(
                                        new ActorState.Held(
                                                10L, 20L, List.of(EVIDENCE, SKIP), 2, null)),
                                Map.of(29_403_960L, 3),
                                4,
                                1,
                                List.of(),
                                0));
        assertThat(read.hasCounted("r-1")).isFalse();
        assertThat(read.holds("r-2")).isFalse();
    }

    @Test
    void shouldWriteLessThanTheJsonItReplaces() throws Exception {
        for (Case<?> c : cases()) {
            assertThat(c.write().length)
                    .as(c.value().toString())
                    .isLessThan(PREVIOUS_WRITER.writeValueAsBytes(c.value()).length);
        }
    }

    @Test
    void shouldRefuseMalformedValuesWithASerializationExceptionOnly() {
        for (Case<?> c : cases()) {
            byte[] good = c.write();
            List<byte[]> bad = new ArrayList<>();
            for (int length = 0; length < good.length; length++) {
                bad.add(Arrays.copyOf(good, length)); // every truncation
            }
            bad.add(Arrays.copyOf(good, good.length + 1)); // a trailing byte
            byte[] unknownFormat = good.clone();
            unknownFormat[0] = 9;
            bad.add(unknownFormat);
            bad.add(
                    new byte[] {
                        StateSerdes.BINARY_V1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F
                    });
            bad.add(
                    new byte[] {
                        StateSerdes.BINARY_V1,
                        (byte) 0x80,
                        (byte) 0x80,
                        (byte) 0x80,
                        (byte) 0x80,
                        (byte) 0x80
                    });
            bad.add("{\"rawQuery\": [".getBytes(StandardCharsets.UTF_8)); // broken JSON
            for (byte[] bytes : bad) {
                assertThatThrownBy(() -> c.read(bytes))
                        .as(
                                "%s from %s",
                                c.value().getClass().getSimpleName(), Arrays.toString(bytes))
                        .isInstanceOf(SerializationException.class);
            }
        }
    }

    @Test
    void shouldRefuseAnUnknownInteractionTypeAndAHugeListCount() {
        BinaryOut out = new BinaryOut();
        out.writeByte(StateSerdes.BINARY_V1);
        out.writeString("q");
        out.writeString(null);
        out.writeCount(1);
        out.writeString("p1");
        out.writeLong(1);
        out.writeCount(1);
        out.writeString("p1");
        out.writeString("TELEPORT");
        out.writeLong(2);
        out.writeBoolean(false);
        out.writeLong(1);
        out.writeLong(1);
        byte[] unknownType = out.toByteArray();
        assertThatThrownBy(
                        () ->
                                StateSerdes.searchState()
                                        .deserializer()
                                        .deserialize("t", unknownType))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("SearchState");

        BinaryOut huge = new BinaryOut();
        huge.writeByte(StateSerdes.BINARY_V1);
        huge.writeString("q");
        huge.writeString(null);
        huge.writeCount(Integer.MAX_VALUE); // would allocate a list of 2^31 results
        assertThatThrownBy(
                        () ->
                                StateSerdes.searchState()
                                        .deserializer()
                                        .deserialize("t", huge.toByteArray()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("do not fit");
    }

    @Test
    void shouldReadAnUnreadableStoreValueAsAbsentAndReportIt() {
        List<String> reported = new ArrayList<>();
        Serde<SearchState> lenient =
                StateSerdes.lenient(
                        StateSerdes.searchState(), (topic, e) -> reported.add(topic + ": " + e));
        assertThat(lenient.deserializer().deserialize("searches-changelog", new byte[] {9, 9}))
                .isNull();
        assertThat(reported).singleElement().asString().startsWith("searches-changelog: ");
        byte[] good = lenient.serializer().serialize("t", SEARCH);
        assertThat(lenient.deserializer().deserialize("t", good)).isEqualTo(SEARCH);
        assertThat(reported).hasSize(1);
    }
}
