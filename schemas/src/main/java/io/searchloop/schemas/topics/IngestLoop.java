package io.searchloop.schemas.topics;

import io.searchloop.schemas.failure.Backoff;
import io.searchloop.schemas.failure.FailurePolicy;
import io.searchloop.schemas.failure.Fatal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services' way of copying topics into their tables: poll, hand the whole poll to a handler,
 * wait until the broker has acknowledged every dead letter it produced, then commit — so a crash
 * replays at most one poll, which the handler's idempotent writes absorb.
 *
 * <p>Failures follow {@link FailurePolicy}. A handler dead-letters a record only for a permanent
 * reason (it can never be processed) and throws for a transient one; a transient failure anywhere
 * in a poll (registry, database or broker unavailable, a dead letter not acknowledged, a commit
 * refused) commits nothing: the consumer is put back to its committed offsets and the poll is read
 * again after a doubling backoff. Any other failure means the loop cannot continue: it hands the
 * failure to its {@link Fatal} (by default, end the process so the supervisor restarts it) rather
 * than idling with the JVM up.
 */
public final class IngestLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Applies one poll; calls {@code deadLetter} for each record it can never use, and throws for a
     * transient failure.
     */
    @FunctionalInterface
    public interface Handler {
        void apply(ConsumerRecords<byte[], byte[]> records, DeadLetter deadLetter) throws Exception;
    }

    /** Sends a record that could not be used, with the reason, to its topic's dead-letter twin. */
    @FunctionalInterface
    public interface DeadLetter {
        void send(ConsumerRecord<byte[], byte[]> record, Exception reason);

        /**
         * Dead-letters {@code record} if {@code failure} is permanent; rethrows a transient one, so
         * the poll is retried instead.
         */
        default void sendIfPermanent(
                ConsumerRecord<byte[], byte[]> record, RuntimeException failure) {
            if (FailurePolicy.isTransient(failure)) {
                throw failure;
            }
            send(record, failure);
        }
    }

    /** Waits of the loop: the backoff after a transient failure, and the poll timeout. */
    public record Timing(Duration initialBackoff, Duration maxBackoff, Duration poll) {
        public static final Timing DEFAULT =
                new Timing(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMillis(500));
    }

    private final String name;
    private final List<String> topics;
    private final Handler handler;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final List<Future<RecordMetadata>> unacknowledged = new ArrayList<>();
    private final Timing timing;
    private final Fatal fatal;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong retries = new AtomicLong();
    private final Map<String, AtomicLong> applied = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, AtomicLong> deadLettered =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Long> pendingDeadLetters = new java.util.HashMap<>();
    private volatile boolean alive;
    private Thread thread;

    public IngestLoop(
            String name,
            String bootstrapServers,
            String groupId,
            List<String> topics,
            int maxPollRecords,
            Handler handler) {
        this(
                name,
                bootstrapServers,
                groupId,
                topics,
                maxPollRecords,
                handler,
                Timing.DEFAULT,
                Fatal.EXIT_PROCESS);
    }

    public IngestLoop(
            String name,
            String bootstrapServers,
            String groupId,
            List<String> topics,
            int maxPollRecords,
            Handler handler,
            Timing timing,
            Fatal fatal) {
        this.name = name;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.timing = timing;
        this.fatal = fatal;
        this.consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                groupId,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                maxPollRecords),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        this.deadLetters =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                (int) ACK_TIMEOUT.toMillis(),
                                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                10_000,
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                10_000),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
    }

    /** Runs the loop on its own thread until {@link #close()}. */
    public synchronized void start(String threadName) {
        alive = true;
        thread = new Thread(this, threadName);
        thread.start();
    }

    /**
     * Whether the loop is still running (false once it stopped, cleanly or not): for readiness
     * checks.
     */
    public boolean isAlive() {
        return alive;
    }

    public String name() {
        return name;
    }

    /** The topics it reads (after any prefix). */
    public List<String> topics() {
        return topics;
    }

    /**
     * Records of {@code topic} handled and committed (dead-lettered ones included) since this loop
     * was made.
     */
    public long applied(String topic) {
        AtomicLong n = applied.get(topic);
        return n == null ? 0 : n.get();
    }

    /**
     * Records of {@code topic} sent to its dead-letter topic and committed since this loop was
     * made.
     */
    public long deadLettered(String topic) {
        AtomicLong n = deadLettered.get(topic);
        return n == null ? 0 : n.get();
    }

    /**
     * The loop's consumer, for a metrics binder only: it reads {@code metrics()}, the one
     * thread-safe call.
     */
    public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumerForMetrics() {
        return consumer;
    }

    /** The loop's dead-letter producer, for a metrics binder. */
    public org.apache.kafka.clients.producer.Producer<byte[], byte[]> producerForMetrics() {
        return deadLetters;
    }

    /** How many polls were put back and read again because of a transient failure. */
    public long retries() {
        return retries.get();
    }

    @Override
    public void run() {
        alive = true;
        Backoff backoff = new Backoff(timing.initialBackoff(), timing.maxBackoff());
        boolean rewind = false;
        try {
            consumer.subscribe(topics);
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = ConsumerRecords.empty();
                try {
                    if (rewind) {
                        Rewind.toCommitted(consumer);
                        rewind = false;
                    }
                    records = consumer.poll(timing.poll());
                    if (records.isEmpty()) {
                        continue;
                    }
                    handler.apply(records, this::deadLetter);
                    awaitDeadLetters();
                    consumer.commitSync(ACK_TIMEOUT);
                    count(records);
                    backoff.reset();
                } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                    throw e;
                } catch (Exception e) {
                    if (!FailurePolicy.isTransient(e)) {
                        throw e;
                    }
                    unacknowledged.clear();
                    pendingDeadLetters.clear();
                    rewind = true;
                    retries.incrementAndGet();
                    Duration wait = backoff.next();
                    LOG.warn(
                            "{}: {} records not applied, nothing committed ({}); reading them again in {} ms",
                            name,
                            records.count(),
                            describe(e),
                            wait.toMillis());
                    Thread.sleep(wait.toMillis());
                }
            }
        } catch (Throwable e) {
            // A wakeup or interrupt while closing is the normal way out; anything else, or at any
            // other time, is the end of this loop.
            if (running.get()) {
                fatal.stop(name, e);
            }
        } finally {
            alive = false;
            closeQuietly(consumer);
            closeQuietly(deadLetters);
        }
    }

    /** A committed poll: its records count as applied, its dead letters as sent. */
    private void count(ConsumerRecords<byte[], byte[]> records) {
        for (org.apache.kafka.common.TopicPartition tp : records.partitions()) {
            applied.computeIfAbsent(tp.topic(), t -> new AtomicLong())
                    .addAndGet(records.records(tp).size());
        }
        pendingDeadLetters.forEach(
                (topic, n) ->
                        deadLettered.computeIfAbsent(topic, t -> new AtomicLong()).addAndGet(n));
        pendingDeadLetters.clear();
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> r, Exception reason) {
        pendingDeadLetters.merge(r.topic(), 1L, Long::sum);
        LOG.warn(
                "{}: record {}-{}@{} sent to {}: {}",
                name,
                r.topic(),
                r.partition(),
                r.offset(),
                Topics.dlq(r.topic()),
                reason.getMessage());
        unacknowledged.add(
                deadLetters.send(
                        new ProducerRecord<>(
                                Topics.dlq(r.topic()),
                                null,
                                r.key(),
                                r.value(),
                                DeadLetters.headers(
                                        r.headers(),
                                        reason,
                                        r.topic(),
                                        r.partition(),
                                        r.offset()))));
    }

    /**
     * Every dead letter of this poll acknowledged by the broker, or a (transient) failure: only
     * then may the poll be committed.
     */
    private void awaitDeadLetters() throws Exception {
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        try {
            for (Future<RecordMetadata> ack : unacknowledged) {
                try {
                    ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            unacknowledged.clear();
        }
    }

    private static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            out.append(" <- ")
                    .append(c.getClass().getSimpleName())
                    .append(": ")
                    .append(c.getMessage());
        }
        return out.toString();
    }

    private void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn(
                    "{}: closing {} failed: {}",
                    name,
                    c.getClass().getSimpleName(),
                    e.getMessage());
        }
    }

    /**
     * Stops the loop and, if it runs on its own thread, waits up to 30 s for it to finish its poll.
     */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
