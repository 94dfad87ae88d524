package io.searchloop.schemas.topics;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Puts a consumer back to its last committed offsets after a poll that could not be applied (the
 * database was briefly unavailable, say), so the same records are read again instead of being
 * skipped by the next poll.
 */
public final class Rewind {
    private Rewind() {}

    public static void toCommitted(Consumer<?, ?> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset == null) {
                consumer.seekToBeginning(Set.of(tp));
            } else {
                consumer.seek(tp, offset.offset());
            }
        }
    }
}
