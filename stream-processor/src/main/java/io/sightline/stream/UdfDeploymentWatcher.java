package io.sightline.stream;

import io.sightline.schemas.WireFormatException;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfDeploymentException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted UDF deployments topic for the UDF names a processor runs and tells its {@link Listener} of
 * each new deployment or removal. It checks each record's bytes against its sha256 and refuses (logs) a record that
 * does not match; loading and compiling is the listener's business, on this watcher's own thread, never a stream
 * thread.
 *
 * <p>It reads the topic from the beginning with no consumer group, so every processor instance sees every
 * deployment, whether it started before or after it.
 */
public final class UdfDeploymentWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdfDeploymentWatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** What to do when a followed name is deployed again or removed; called on the watcher's thread. */
    public interface Listener {

        void deployed(UdfDeployment deployment);

        void removed(String name);
    }

    private final Set<String> names;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<UdfDeploymentRecord> values;
    private final String topic;
    private Thread thread;
    private boolean closed;

    public UdfDeploymentWatcher(String bootstrapServers, String topic, Set<String> names,
            Deserializer<UdfDeploymentRecord> values) {
        this.names = Set.copyOf(names);
        this.topic = topic;
        this.values = values;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "sightline-udf-watcher",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads the topic to its end and returns the latest deployment of each followed name that has one (a removal
     * forgets the name; a record whose bytes do not match its sha256 is refused and skipped). Call once, before
     * {@link #follow}.
     */
    public Map<String, UdfDeployment> catchUp(Duration timeout) {
        Map<String, ConsumerRecord<String, byte[]>> latest = new TreeMap<>();
        TopicFollowers.readToEnd(consumer, topic, timeout, record -> {
            if (names.contains(record.key())) {
                latest.put(record.key(), record);
            }
        });
        Map<String, UdfDeployment> deployments = new TreeMap<>();
        latest.values().stream().filter(record -> record.value() != null)
                .forEach(record -> verified(record).ifPresent(d -> deployments.put(d.name(), d)));
        return deployments;
    }

    /**
     * From where {@link #catchUp} stopped, tells the listener of each deployment and removal of a followed name, on a
     * daemon thread. Close this watcher before what the listener switches.
     */
    public UdfDeploymentWatcher follow(Listener listener) {
        thread = new Thread(() -> run(listener), "sightline-udf-watcher");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run(Listener listener) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (!names.contains(record.key())) {
                        continue;
                    }
                    if (record.value() == null) {
                        listener.removed(record.key());
                    } else {
                        verified(record).ifPresent(listener::deployed);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("UDF deployments of {} are no longer followed: {}", names, e.toString(), e);
        }
    }

    /** The deployment in the record, if it decodes and its bytes match its sha256. */
    private Optional<UdfDeployment> verified(ConsumerRecord<String, byte[]> record) {
        String name = record.key();
        try {
            UdfDeploymentRecord deployed = values.deserialize(record.topic(), record.value());
            byte[] wasm = bytes(deployed.getModule());
            String sha256 = sha256(wasm);
            if (!sha256.equals(deployed.getSha256())) {
                throw new UdfDeploymentException(name + "@" + deployed.getVersion() + " declares sha256 "
                        + deployed.getSha256() + " but its module's bytes hash to " + sha256);
            }
            return Optional.of(new UdfDeployment(name, deployed.getVersion(), wasm, deployed.getConfigJson()));
        } catch (UdfDeploymentException | IllegalArgumentException | WireFormatException e) {
            LOG.warn("UDF deployment of {} at {}-{}@{} refused, the running version stays: {}", name,
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        TopicFollowers.stop(thread, consumer, Duration.ofSeconds(10));
    }
}
