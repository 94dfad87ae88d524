package io.searchloop.schemas.failure;

import io.searchloop.schemas.registry.IncompatibleSchemaException;
import io.searchloop.schemas.registry.InvalidSchemaException;
import io.searchloop.schemas.registry.RegistryUnavailableException;
import io.searchloop.schemas.registry.SchemaNotRegisteredException;
import io.searchloop.schemas.registry.SchemaRegistryException;
import io.searchloop.schemas.registry.UnknownSchemaIdException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The one answer every consumer gives to "may I dead-letter this?". A failure is {@link
 * Kind#TRANSIENT} when a dependency (schema registry, PostgreSQL, the broker) is unreachable,
 * overloaded or restarting: the record is fine, so nothing is dead-lettered or committed and the
 * work is retried with backoff. Anything else is {@link Kind#PERMANENT}: for a record (malformed
 * bytes, an unknown schema id, a failed validation) that means the dead-letter topic with the
 * reason; for a loop, that it cannot continue. The cause chain is searched, so a wrapped transient
 * failure stays transient.
 */
public final class FailurePolicy {
    /** What to do about a failure. */
    public enum Kind {
        TRANSIENT,
        PERMANENT
    }

    /**
     * SQLSTATEs that say the server, not the statement, is the problem (PostgreSQL error codes
     * appendix).
     */
    private static final Set<String> TRANSIENT_SQL_STATES =
            Set.of(
                    "40001", // serialization failure
                    "40P01", // deadlock detected
                    "55P03", // lock not available
                    "57014", // query canceled (statement timeout)
                    "57P01", // admin shutdown (backend terminated)
                    "57P02", // crash shutdown
                    "57P03"); // cannot connect now (starting up)

    private FailurePolicy() {}

    public static Kind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isTransientItself(t)) {
                return Kind.TRANSIENT;
            }
        }
        return Kind.PERMANENT;
    }

    public static boolean isTransient(Throwable failure) {
        return classify(failure) == Kind.TRANSIENT;
    }

    private static boolean isTransientItself(Throwable t) {
        if (t instanceof SchemaRegistryException registry) {
            // Unreachable, or refusing us (auth, rate limit) rather than the record: the record is
            // fine.
            return t instanceof RegistryUnavailableException
                    || (!(t instanceof UnknownSchemaIdException
                                    || t instanceof SchemaNotRegisteredException
                                    || t instanceof InvalidSchemaException
                                    || t instanceof IncompatibleSchemaException)
                            && registry.errorCode() != 42201);
        }
        if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            return state == null
                    ? sql.getCause() == null || isTransientItself(sql.getCause())
                    : state.startsWith("08")
                            || state.startsWith("53")
                            || TRANSIENT_SQL_STATES.contains(state);
        }
        return t instanceof RetriableException // includes the clients' TimeoutException and
                // NotLeaderOrFollower
                || t instanceof RebalanceInProgressException
                || t
                        instanceof
                        org.apache.kafka.clients.consumer
                                .CommitFailedException // partitions moved: re-read from the commit
                || t instanceof java.util.concurrent.TimeoutException
                || t instanceof ConnectException
                || t instanceof SocketTimeoutException
                || t instanceof UnknownHostException;
    }
}
