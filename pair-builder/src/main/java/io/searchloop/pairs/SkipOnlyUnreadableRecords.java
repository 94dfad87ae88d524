package io.searchloop.pairs;

import io.searchloop.schemas.failure.FailurePolicy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Deserialization in the consumer (the global catalog table): a record that can never be read is
 * logged and skipped (the embedder dead-letters the same record), but a transient failure — the
 * registry unreachable at a cold start — fails the thread instead of silently dropping a good
 * catalog item from the table.
 */
public final class SkipOnlyUnreadableRecords extends LogAndContinueExceptionHandler {
    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        if (FailurePolicy.isTransient(exception)) {
            return DeserializationHandlerResponse.FAIL;
        }
        return super.handle(context, record, exception);
    }
}
