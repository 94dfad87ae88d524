package io.searchloop.pairs.topology;

import io.searchloop.events.InteractionType;
import io.searchloop.pairs.scoring.Evidence;
import io.searchloop.pairs.scoring.PairStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The serdes of the topology's state-store values and repartition records (never of the public
 * topics, which are Avro). A value is one format byte and then its fields in a fixed order. Byte 1
 * is the binary layout below, which is what is written. A value whose first byte is an opening
 * brace is the JSON that versions before the binary format wrote; it is still read, so that state
 * stores, changelogs and repartition records left by such a version carry over on upgrade without a
 * rebuild (a downgrade cannot read binary values). Anything else, and a binary value that is
 * truncated, too long or inconsistent, is a {@link SerializationException}: a repartition record
 * then goes to the deserialization handler (logged and skipped), and {@link #lenient} turns it into
 * a missing state entry.
 *
 * <p>A new field or a changed layout gets a new format byte and keeps the reader of the old one:
 * byte 2 is {@link ActorState} with the request ids it holds and counted (byte 1 reads as none).
 */
final class StateSerdes {
    static final int BINARY_V1 = 1;

    /** {@link ActorState} with {@code counted}. */
    static final int BINARY_V2 = 2;

    private static final int LEGACY_JSON = '{';

    /** The least bytes an item of a list takes: its smallest field. */
    private static final int MIN_ITEM_BYTES = 1;

    private StateSerdes() {}

    static Serde<SearchState> searchState() {
        return of(SearchState.class, StateSerdes::writeSearchState, StateSerdes::readSearchState);
    }

    static Serde<PairStats> pairStats() {
        return of(PairStats.class, StateSerdes::writePairStats, StateSerdes::readPairStats);
    }

    static Serde<ActorState> actorState() {
        return of(
                ActorState.class,
                BINARY_V2,
                StateSerdes::writeActorState,
                Map.of(
                        BINARY_V1,
                        in -> readActorState(in, false),
                        BINARY_V2,
                        in -> readActorState(in, true)));
    }

    static Serde<PendingPair> pendingPair() {
        return of(PendingPair.class, StateSerdes::writePendingPair, StateSerdes::readPendingPair);
    }

    static Serde<ClosedSearch> closedSearch() {
        return of(
                ClosedSearch.class, StateSerdes::writeClosedSearch, StateSerdes::readClosedSearch);
    }

    static Serde<ActorEvidence> actorEvidence() {
        return of(
                ActorEvidence.class,
                StateSerdes::writeActorEvidence,
                StateSerdes::readActorEvidence);
    }

    /**
     * For a state store: a value that cannot be read is reported to {@code unreadable} and read as
     * absent, so that one corrupted entry costs that entry's state rather than the stream thread,
     * which would fail on it again after every restart.
     */
    static <T> Serde<T> lenient(
            Serde<T> serde, BiConsumer<String, SerializationException> unreadable) {
        Deserializer<T> strict = serde.deserializer();
        Deserializer<T> deserializer =
                (topic, bytes) -> {
                    try {
                        return strict.deserialize(topic, bytes);
                    } catch (SerializationException e) {
                        unreadable.accept(topic, e);
                        return null;
                    }
                };
        return Serdes.serdeFrom(serde.serializer(), deserializer);
    }

    /**
     * Hands every readable entry of {@code store} to {@code action}, then deletes the entries a
     * {@link #lenient} serde could not read (they would otherwise stay in the store and its
     * changelog, and every later scan would meet them again).
     */
    static <V> void forEachReadable(KeyValueStore<String, V> store, BiConsumer<String, V> action) {
        List<String> unreadable = new ArrayList<>();
        try (KeyValueIterator<String, V> all = store.all()) {
            all.forEachRemaining(
                    kv -> {
                        if (kv.value == null) {
                            unreadable.add(kv.key);
                        } else {
                            action.accept(kv.key, kv.value);
                        }
                    });
        }
        unreadable.forEach(store::delete);
    }

    private static <T> Serde<T> of(
            Class<T> type, BiConsumer<BinaryOut, T> write, Function<BinaryIn, T> read) {
        return of(type, BINARY_V1, write, Map.of(BINARY_V1, read));
    }

    /**
     * Writes format {@code format}; reads each format that {@code readers} has, and the legacy
     * JSON.
     */
    private static <T> Serde<T> of(
            Class<T> type,
            int format,
            BiConsumer<BinaryOut, T> write,
            Map<Integer, Function<BinaryIn, T>> readers) {
        Deserializer<T> legacy = JsonSerde.reader(type);
        Serializer<T> serializer =
                (topic, value) -> {
                    if (value == null) {
                        return null;
                    }
                    BinaryOut out = new BinaryOut();
                    out.writeByte(format);
                    write.accept(out, value);
                    return out.toByteArray();
                };
        Deserializer<T> deserializer =
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    if (bytes.length == 0) {
                        throw new SerializationException(
                                "empty " + type.getSimpleName() + " value");
                    }
                    if (bytes[0] == LEGACY_JSON) {
                        return legacy.deserialize(topic, bytes);
                    }
                    Function<BinaryIn, T> read = readers.get(bytes[0] & 0xFF);
                    if (read == null) {
                        throw new SerializationException(
                                "unknown format "
                                        + (bytes[0] & 0xFF)
                                        + " of a "
                                        + type.getSimpleName()
                                        + " value");
                    }
                    try {
                        BinaryIn in = new BinaryIn(bytes, 1);
                        T value = read.apply(in);
                        in.end();
                        return value;
                    } catch (SerializationException e) {
                        throw new SerializationException(
                                "cannot read a "
                                        + type.getSimpleName()
                                        + " value: "
                                        + e.getMessage(),
                                e);
                    } catch (RuntimeException e) { // an unknown enum name, a record's own checks
                        throw new SerializationException(
                                "cannot read a " + type.getSimpleName() + " value: " + e, e);
                    }
                };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static void writeSearchState(BinaryOut out, SearchState s) {
        out.writeString(s.rawQuery());
        out.writeString(s.sessionId());
        out.writeCount(s.results().size());
        for (String r : s.results()) {
            out.writeString(r);
        }
        out.writeLong(s.searchTimestamp());
        out.writeCount(s.touches().size());
        for (SearchState.Touch t : s.touches()) {
            out.writeString(t.productId());
            out.writeString(t.type().name());
            out.writeLong(t.timestamp());
        }
        out.writeBoolean(s.flooded());
        out.writeLong(s.firstEventTimestamp());
        out.writeLong(s.firstSeenWallClock());
    }

    private static SearchState readSearchState(BinaryIn in) {
        String rawQuery = in.readString();
        String sessionId = in.readString();
        int resultCount = in.readCount(MIN_ITEM_BYTES);
        List<String> results = new ArrayList<>(resultCount);
        for (int i = 0; i < resultCount; i++) {
            results.add(required(in.readString(), "result"));
        }
        long searchTimestamp = in.readLong();
        int touchCount = in.readCount(MIN_ITEM_BYTES);
        List<SearchState.Touch> touches = new ArrayList<>(touchCount);
        for (int i = 0; i < touchCount; i++) {
            touches.add(
                    new SearchState.Touch(
                            required(in.readString(), "touched product"),
                            InteractionType.valueOf(required(in.readString(), "touch type")),
                            in.readLong()));
        }
        return new SearchState(
                rawQuery,
                sessionId,
                results,
                searchTimestamp,
                touches,
                in.readBoolean(),
                in.readLong(),
                in.readLong());
    }

    private static void writePairStats(BinaryOut out, PairStats p) {
        out.writeString(p.rawQuery());
        out.writeString(p.normalizedQuery());
        out.writeString(p.productId());
        out.writeDouble(p.positives());
        out.writeDouble(p.skips());
        out.writeLong(p.observations());
        out.writeDouble(p.lastEmittedScore());
        out.writeBoolean(p.augmented());
        out.writeLong(p.updatedAt());
    }

    private static PairStats readPairStats(BinaryIn in) {
        return new PairStats(
                in.readString(),
                in.readString(),
                in.readString(),
                in.readDouble(),
                in.readDouble(),
                in.readLong(),
                in.readDouble(),
                in.readBoolean(),
                in.readLong());
    }

    private static void writeEvidence(BinaryOut out, Evidence e) {
        out.writeString(e.rawQuery());
        out.writeString(e.normalizedQuery());
        out.writeString(e.productId());
        out.writeDouble(e.positive());
        out.writeDouble(e.skip());
        out.writeLong(e.timestamp());
    }

    private static Evidence readEvidence(BinaryIn in) {
        return new Evidence(
                in.readString(),
                in.readString(),
                in.readString(),
                in.readDouble(),
                in.readDouble(),
                in.readLong());
    }

    private static void writeEvidenceList(BinaryOut out, List<Evidence> evidence) {
        out.writeCount(evidence.size());
        for (Evidence e : evidence) {
            writeEvidence(out, e);
        }
    }

    private static List<Evidence> readEvidenceList(BinaryIn in) {
        int n = in.readCount(MIN_ITEM_BYTES);
        List<Evidence> evidence = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            evidence.add(readEvidence(in));
        }
        return evidence;
    }

    private static void writeActorState(BinaryOut out, ActorState a) {
        out.writeString(a.flagged());
        out.writeLong(a.mutedUntil());
        out.writeLong(a.mutedUntilWall());
        out.writeCount(a.held().size());
        for (ActorState.Held h : a.held()) {
            out.writeLong(h.releaseAt());
            out.writeLong(h.releaseAtWall());
            writeEvidenceList(out, h.evidence());
            out.writeCount(h.interactions());
            out.writeString(h.requestId());
        }
        out.writeCount(a.perMinute().size());
        for (Map.Entry<Long, Integer> minute : a.perMinute().entrySet()) {
            out.writeLong(minute.getKey());
            out.writeCount(minute.getValue());
        }
        out.writeCount(a.engagements());
        out.writeCount(a.cartlessPurchases());
        out.writeCount(a.counted().size());
        for (String requestId : a.counted()) {
            out.writeString(requestId);
        }
        out.writeLong(a.forgetAtWall());
    }

    /**
     * {@code withCounted}: format 2, with each held search's request id and, at the end, the
     * request ids counted and until when they are remembered.
     */
    private static ActorState readActorState(BinaryIn in, boolean withCounted) {
        String flagged = in.readString();
        long mutedUntil = in.readLong();
        long mutedUntilWall = in.readLong();
        int heldCount = in.readCount(MIN_ITEM_BYTES);
        List<ActorState.Held> held = new ArrayList<>(heldCount);
        for (int i = 0; i < heldCount; i++) {
            held.add(
                    new ActorState.Held(
                            in.readLong(),
                            in.readLong(),
                            readEvidenceList(in),
                            in.readCount(),
                            withCounted ? in.readString() : null));
        }
        int minutes = in.readCount(MIN_ITEM_BYTES);
        Map<Long, Integer> perMinute = new TreeMap<>();
        for (int i = 0; i < minutes; i++) {
            perMinute.put(in.readLong(), in.readCount());
        }
        int engagements = in.readCount();
        int cartlessPurchases = in.readCount();
        List<String> counted = new ArrayList<>();
        if (withCounted) {
            int n = in.readCount(MIN_ITEM_BYTES);
            for (int i = 0; i < n; i++) {
                counted.add(required(in.readString(), "counted request id"));
            }
        }
        long forgetAtWall = withCounted ? in.readLong() : 0;
        return new ActorState(
                flagged,
                mutedUntil,
                mutedUntilWall,
                held,
                perMinute,
                engagements,
                cartlessPurchases,
                counted,
                forgetAtWall);
    }

    private static void writeActorEvidence(BinaryOut out, ActorEvidence a) {
        out.writeString(a.actor());
        writeEvidence(out, a.evidence());
    }

    private static ActorEvidence readActorEvidence(BinaryIn in) {
        return new ActorEvidence(in.readString(), readEvidence(in));
    }

    private static void writePendingPair(BinaryOut out, PendingPair p) {
        out.writeCount(p.items().size());
        for (ActorEvidence item : p.items()) {
            writeActorEvidence(out, item);
        }
        out.writeLong(p.dueAt());
        out.writeLong(p.dueAtWall());
        out.writeBoolean(p.burst());
    }

    private static PendingPair readPendingPair(BinaryIn in) {
        int n = in.readCount(MIN_ITEM_BYTES);
        List<ActorEvidence> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(readActorEvidence(in));
        }
        return new PendingPair(items, in.readLong(), in.readLong(), in.readBoolean());
    }

    private static void writeClosedSearch(BinaryOut out, ClosedSearch c) {
        out.writeString(c.actor());
        out.writeString(c.requestId());
        out.writeLong(c.searchTimestamp());
        writeEvidenceList(out, c.evidence());
        out.writeCount(c.interactionTimes().size());
        for (long t : c.interactionTimes()) {
            out.writeLong(t);
        }
        out.writeCount(c.cartlessPurchases());
    }

    private static ClosedSearch readClosedSearch(BinaryIn in) {
        String actor = in.readString();
        String requestId = in.readString();
        long searchTimestamp = in.readLong();
        List<Evidence> evidence = readEvidenceList(in);
        int n = in.readCount(8);
        List<Long> times = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            times.add(in.readLong());
        }
        return new ClosedSearch(actor, requestId, searchTimestamp, evidence, times, in.readCount());
    }

    private static String required(String value, String what) {
        if (value == null) {
            throw new SerializationException("malformed state value: no " + what);
        }
        return value;
    }
}
