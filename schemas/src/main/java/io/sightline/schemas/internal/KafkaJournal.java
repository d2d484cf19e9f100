package io.sightline.schemas.internal;

import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.RegistryStartupException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's journal in the compacted {@code _schemas} topic (one partition, Confluent's layout, see
 * {@link SchemasTopicCodec}). At start the store is rebuilt by reading the topic from the beginning to its end; a
 * background tail then applies what other instances write, and a lookup that misses reads up to the end first.
 *
 * <p><b>One writer at a time.</b> Every instance writes through a transactional producer with the same
 * {@code transactional.id}. Initialising it fences any other instance's producer, and Kafka lets a transaction
 * commit only for the newest producer epoch. Each write catches up to the end of the topic (read_committed) after
 * the producer owns the epoch, plans against that state (so the next id is the highest + 1 and a known schema
 * keeps its id), and commits; a fenced writer starts over. Two committed writes can therefore never hand out the
 * same id, and every instance sees the same ids.
 */
public final class KafkaJournal implements Journal {
    public static final String TOPIC = "_schemas";
    public static final String TRANSACTIONAL_ID = "sightline-schema-registry";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaJournal.class);
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final int MAX_WRITE_ATTEMPTS = 5;
    private static final short MAX_REPLICATION = 3;
    private static final Duration TAIL_INTERVAL = Duration.ofSeconds(1);
    private static final Duration POLL = Duration.ofMillis(100);

    private final SchemaStore store;
    private final String bootstrapServers;
    private final Duration timeout;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ScheduledExecutorService tail;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean tailFailing;

    private KafkaJournal(SchemaStore store, String bootstrapServers, Duration timeout) {
        this.store = store;
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
        this.consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.tail = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "schema-registry-tail");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Creates the topic if it is missing, rebuilds the store from it and starts following it.
     *
     * @throws RegistryStartupException if Kafka does not answer within {@code timeout}
     */
    public static KafkaJournal open(SchemaStore store, String bootstrapServers, Duration timeout) {
        ensureTopic(bootstrapServers, timeout);
        KafkaJournal journal = new KafkaJournal(store, bootstrapServers, timeout);
        try {
            journal.consumer.assign(List.of(PARTITION));
            journal.consumer.seekToBeginning(List.of(PARTITION));
            journal.refresh();
        } catch (RuntimeException e) {
            journal.close();
            throw new RegistryStartupException("cannot read topic " + TOPIC + " on " + bootstrapServers
                    + ": " + e.getMessage(), e);
        }
        long interval = TAIL_INTERVAL.toMillis();
        journal.tail.scheduleWithFixedDelay(journal::followTail, interval, interval, TimeUnit.MILLISECONDS);
        return journal;
    }

    @Override
    public synchronized void refresh() {
        readThrough(-1);
    }

    /**
     * Applies every committed entry up to the end of the topic, and at least through {@code offset}: a committed
     * transaction becomes visible to read_committed readers only once its markers are written, a moment after
     * the commit returns, and a writer must see its own last write before planning the next.
     */
    private void readThrough(long offset) {
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            long end = consumer.endOffsets(List.of(PARTITION), timeout).get(PARTITION);
            while (end <= offset) {
                requireBefore(deadline, offset + 1);
                sleep(POLL.dividedBy(10));
                end = consumer.endOffsets(List.of(PARTITION), timeout).get(PARTITION);
            }
            while (consumer.position(PARTITION, timeout) < end) {
                requireBefore(deadline, end);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
            }
        } catch (KafkaException e) {
            throw RegistryRequestException.storeUnavailable("reading topic " + TOPIC + ": " + e.getMessage());
        }
    }

    private void requireBefore(long deadline, long end) {
        if (System.nanoTime() > deadline) {
            throw RegistryRequestException.storeUnavailable("topic " + TOPIC + " not read to offset " + end
                    + " within " + timeout.toSeconds() + " s");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while reading " + TOPIC, e);
        }
    }

    @Override
    public synchronized <T> T write(Function<SchemaStore, Planned<T>> plan) {
        KafkaException lastFailure = null;
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            try {
                ownProducer();
                refresh();
                Planned<T> planned = plan.apply(store);
                if (!planned.entries().isEmpty()) {
                    readThrough(commit(planned.entries()));
                }
                return planned.answer();
            } catch (KafkaException e) {
                // Fenced by another instance (or the broker went away mid-transaction): take the epoch back,
                // catch up on what the other writer committed and plan again.
                LOG.debug("write to {} attempt {} failed: {}", TOPIC, attempt, e.toString());
                lastFailure = e;
                discardProducer();
                // Two instances writing at once would fence each other in turn; a random pause breaks the tie.
                sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(10, 50L * attempt)));
            }
        }
        throw RegistryRequestException.storeUnavailable("writing topic " + TOPIC + " failed "
                + MAX_WRITE_ATTEMPTS + " times, last: " + lastFailure.getMessage());
    }

    @Override
    public void close() {
        tail.shutdownNow();
        synchronized (this) {
            discardProducer();
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** Writes the entries in one transaction; returns the offset of the last. */
    private long commit(List<SchemasRecord> entries) {
        producer.beginTransaction();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (SchemasRecord entry : entries) {
            SchemasTopicCodec.Encoded encoded = SchemasTopicCodec.encode(entry);
            sent.add(producer.send(new ProducerRecord<>(TOPIC, 0, encoded.key(), encoded.value())));
        }
        producer.commitTransaction();
        try {
            return sent.get(sent.size() - 1).get().offset();
        } catch (ExecutionException e) {
            throw new KafkaException("write to " + TOPIC + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing " + TOPIC, e);
        }
    }

    /** Initialising the transactional producer makes this instance the writer and fences the previous one. */
    private void ownProducer() {
        if (producer == null) {
            KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(producerProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private void followTail() {
        try {
            refresh();
            if (tailFailing) {
                LOG.info("schema registry reads topic {} again", TOPIC);
                tailFailing = false;
            }
        } catch (RuntimeException e) {
            if (tail.isShutdown()) {
                return; // closing: the read was interrupted on purpose
            }
            if (!tailFailing) {
                LOG.warn("schema registry cannot follow topic {} (will retry): {}", TOPIC, e.getMessage());
                tailFailing = true;
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        try {
            SchemasTopicCodec.decode(record.key(), record.value()).ifPresent(store::apply);
        } catch (SchemasTopicCodec.MalformedEntryException e) {
            LOG.warn("skipping {} entry at offset {}: {}", TOPIC, record.offset(), e.getMessage());
        }
    }

    private static void ensureTopic(String bootstrapServers, Duration timeout) {
        try (Admin admin = Admin.create(KafkaClients.config(bootstrapServers, Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs(timeout))))) {
            Set<String> topics = admin.listTopics().names().get();
            if (topics.contains(TOPIC)) {
                return;
            }
            int brokers = admin.describeCluster().nodes().get().size();
            NewTopic topic = new NewTopic(TOPIC, 1, (short) Math.min(brokers, MAX_REPLICATION))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(topic)).all().get();
            LOG.info("created topic {} (compacted, 1 partition, replication {})", TOPIC, topic.replicationFactor());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new RegistryStartupException(unreachable(bootstrapServers, timeout, e.getCause()), e);
            }
        } catch (KafkaException e) {
            throw new RegistryStartupException(unreachable(bootstrapServers, timeout, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryStartupException("interrupted while checking topic " + TOPIC, e);
        }
    }

    private static String unreachable(String bootstrapServers, Duration timeout, Throwable cause) {
        return "Kafka at " + bootstrapServers + " did not answer within " + timeout.toSeconds() + " s ("
                + cause.getClass().getSimpleName() + "): start the broker or fix --bootstrap-servers";
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> props = new HashMap<>();
        props.putAll(KafkaClients.config(bootstrapServers));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sightline-schema-registry-reader");
        // The reader polls only when it is behind, so a short wait costs nothing idle; the 500 ms default would
        // delay every write, whose commit markers land just after the fetch that waits for them.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs(timeout));
        return props;
    }

    private Map<String, Object> producerProperties() {
        int requestTimeout = requestTimeoutMs(timeout);
        Map<String, Object> props = new HashMap<>();
        props.putAll(KafkaClients.config(bootstrapServers));
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sightline-schema-registry-writer");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, requestTimeout + (int) timeout.toMillis());
        // A writer that dies mid-write holds up readers (read_committed) until its transaction times out.
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        return props;
    }

    private static int requestTimeoutMs(Duration timeout) {
        return (int) Math.min(timeout.toMillis(), 10_000);
    }
}
