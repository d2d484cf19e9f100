package io.sightline.stream;

import io.sightline.schemas.WireFormatException;
import io.sightline.schemas.avro.UdfDeploymentRecord;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfDeploymentException;
import io.sightline.udf.UdfRuntime;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted UDF deployments topic for one UDF name and switches the {@link ActiveUdf} to each new
 * version. Modules are loaded and compiled on this watcher's own thread, never a stream thread; a module refused at
 * load is logged with its reason and the running version stays. A tombstone (the UDF removed) switches to the
 * fallback, the bundled UDF of that name, when there is one.
 *
 * <p>It reads the topic from the beginning with no consumer group, so every processor instance sees every
 * deployment, whether it started before or after it.
 */
public final class UdfDeploymentWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdfDeploymentWatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<UdfDeploymentRecord> values;
    private final String topic;
    private final Function<UdfDeployment, UdfRuntime> loader;
    private final Supplier<Optional<UdfRuntime>> fallback;
    private Thread thread;
    private boolean closed;

    /**
     * @param loader   loads and compiles a deployed module ({@link UdfRuntime#load} with the processor's detector)
     * @param fallback what runs once the deployment is removed, if anything (else the current version stays)
     */
    public UdfDeploymentWatcher(String bootstrapServers, String topic, String name,
            Deserializer<UdfDeploymentRecord> values, Function<UdfDeployment, UdfRuntime> loader,
            Supplier<Optional<UdfRuntime>> fallback) {
        this.name = name;
        this.topic = topic;
        this.values = values;
        this.loader = loader;
        this.fallback = fallback;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "sightline-udf-watcher-" + name,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads the topic to its end and loads the latest deployment of this name, if there is one and it loads. Call
     * once, before {@link #follow}.
     */
    public Optional<UdfRuntime> catchUp(Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        ConsumerRecord<String, byte[]> latest = null;
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (name.equals(record.key())) {
                    latest = record;
                }
            }
        }
        if (latest == null || latest.value() == null) {
            return Optional.empty();
        }
        return load(latest);
    }

    /**
     * From where {@link #catchUp} stopped, switches the active UDF to each new deployment, on a daemon thread.
     * Close this watcher before the {@link ActiveUdf}.
     */
    public UdfDeploymentWatcher follow(ActiveUdf active) {
        thread = new Thread(() -> run(active), "sightline-udf-watcher-" + name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run(ActiveUdf active) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (name.equals(record.key())) {
                        apply(record, active);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("UDF deployments of {} are no longer followed: {}", name, e.toString(), e);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record, ActiveUdf active) {
        if (record.value() == null) {
            Optional<UdfRuntime> bundled = fallback.get();
            bundled.ifPresentOrElse(runtime -> {
                active.switchTo(runtime);
                LOG.info("UDF {} removed; running bundled {} (sha256 {})", name, runtime.info().label(),
                        runtime.info().sha256());
            }, () -> LOG.warn("UDF {} removed, and there is no bundled UDF of that name; {} keeps running", name,
                    active.info().label()));
            return;
        }
        load(record).ifPresent(runtime -> {
            active.switchTo(runtime);
            LOG.info("UDF {} switched to {} (sha256 {})", name, runtime.info().label(), runtime.info().sha256());
        });
    }

    private Optional<UdfRuntime> load(ConsumerRecord<String, byte[]> record) {
        try {
            UdfDeploymentRecord deployed = values.deserialize(record.topic(), record.value());
            byte[] wasm = bytes(deployed.getModule());
            String sha256 = sha256(wasm);
            if (!sha256.equals(deployed.getSha256())) {
                throw new UdfDeploymentException(name + "@" + deployed.getVersion() + " declares sha256 "
                        + deployed.getSha256() + " but its module's bytes hash to " + sha256);
            }
            long started = System.nanoTime();
            UdfRuntime runtime = loader.apply(new UdfDeployment(name, deployed.getVersion(), wasm,
                    deployed.getConfigJson()));
            LOG.info("UDF {} loaded in {} ms", runtime.info().label(), (System.nanoTime() - started) / 1_000_000);
            return Optional.of(runtime);
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
        if (thread != null) {
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close();
    }
}
