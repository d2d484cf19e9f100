package io.sightline.stream;

import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.WireFormatException;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.udf.TrustedKeys;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfDeploymentException;
import io.sightline.udf.UdfSignature;
import java.time.Duration;
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
 * each new deployment or removal. It checks each record's bytes against its sha256 and, when the processor has
 * {@link TrustedKeys}, its signature; a record that fails is refused (logged and counted) and the running version
 * stays. Loading and compiling is the listener's business, on this watcher's own thread, never a stream thread.
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

    /** Told of each refused deployment record, by UDF name and reason code; called on the watcher's thread. */
    public interface Refusals {

        void refused(String name, String reason);
    }

    /** Which signatures a processor requires ({@link TrustedKeys#none()}: none) and who hears of refusals. */
    public record Trust(TrustedKeys keys, Refusals refusals) {

        /** Unsigned deployments accepted; refusals only logged. */
        public static Trust anyone() {
            return new Trust(TrustedKeys.none(), (name, reason) -> { });
        }
    }

    /** Reason code of a record whose module's bytes do not hash to its sha256. */
    public static final String HASH_MISMATCH = "HASH_MISMATCH";
    /** Reason code of a record that is not a deployment this processor can read. */
    public static final String UNREADABLE = "UNREADABLE";

    private final Set<String> names;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<UdfDeploymentRecord> values;
    private final String topic;
    private final TrustedKeys trusted;
    private final Refusals refusals;
    private Thread thread;
    private boolean closed;

    /** A watcher that accepts unsigned deployments. */
    public UdfDeploymentWatcher(String bootstrapServers, String topic, Set<String> names,
            Deserializer<UdfDeploymentRecord> values) {
        this(bootstrapServers, topic, names, values, Trust.anyone());
    }

    public UdfDeploymentWatcher(String bootstrapServers, String topic, Set<String> names,
            Deserializer<UdfDeploymentRecord> values, Trust trust) {
        this.names = Set.copyOf(names);
        this.topic = topic;
        this.values = values;
        this.trusted = trust.keys();
        this.refusals = trust.refusals();
        this.consumer = new KafkaConsumer<>(KafkaClients.config(bootstrapServers, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "sightline-udf-watcher",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads the topic to its end and returns the latest accepted deployment of each followed name that has one, as
     * the processor would have followed it: a removal forgets the name, a refused record (bytes that do not match
     * the sha256, or a signature no trusted key verifies) leaves the deployment before it. Call once, before {@link
     * #follow}.
     */
    public Map<String, UdfDeployment> catchUp(Duration timeout) {
        Map<String, UdfDeployment> deployments = new TreeMap<>();
        TopicFollowers.readToEnd(consumer, topic, timeout, record -> {
            if (!names.contains(record.key())) {
                return;
            }
            if (record.value() == null) {
                deployments.remove(record.key());
            } else {
                verified(record).ifPresent(deployment -> deployments.put(deployment.name(), deployment));
            }
        });
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

    /** The deployment in the record, if it decodes, its bytes match its sha256 and its signature is trusted. */
    private Optional<UdfDeployment> verified(ConsumerRecord<String, byte[]> record) {
        String name = record.key();
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        UdfDeployment deployment;
        UdfSignature signature;
        try {
            UdfDeploymentRecord deployed = values.deserialize(record.topic(), record.value());
            if (!name.equals(deployed.getName())) {
                return refused(name, UNREADABLE, where, "the record keyed " + name + " deploys " + deployed.getName());
            }
            deployment = UdfDeploymentTopic.deployment(deployed);
            signature = UdfDeploymentTopic.signature(deployed).orElse(null);
            String sha256 = deployment.sha256();
            if (!sha256.equals(deployed.getSha256())) {
                return refused(name, HASH_MISMATCH, where, name + "@" + deployed.getVersion() + " declares sha256 "
                        + deployed.getSha256() + " but its module's bytes hash to " + sha256);
            }
        } catch (UdfDeploymentException | IllegalArgumentException | WireFormatException e) {
            return refused(name, UNREADABLE, where, e.getMessage());
        }
        TrustedKeys.Check check = trusted.check(deployment, signature);
        if (check instanceof TrustedKeys.Check.Refused refusal) {
            return refused(name, refusal.reason().name(), where, refusal.message());
        }
        var accepted = (TrustedKeys.Check.Accepted) check;
        accepted.keyName().ifPresent(key -> LOG.info("UDF deployment {}@{} at {} is signed by trusted key {} (id {})",
                name, deployment.version(), where, key, accepted.keyId().orElseThrow()));
        return Optional.of(deployment);
    }

    private Optional<UdfDeployment> refused(String name, String reason, String where, String message) {
        LOG.warn("UDF deployment of {} at {} refused ({}), the running version stays: {}", name, where, reason, message);
        refusals.refused(name, reason);
        return Optional.empty();
    }

    static String sha256(byte[] bytes) {
        return UdfDeployment.sha256(bytes);
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
