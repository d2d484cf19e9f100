package io.sightline.stream;

import io.sightline.model.ModelInfo;
import io.sightline.model.ModelManifest;
import io.sightline.model.ModelStore;
import io.sightline.schemas.KafkaClients;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted model activations topic and switches the model store's face detector to each version
 * activated there ({@link ModelStore#activate}): the new session is loaded on this watcher's thread, never a stream
 * thread, and calls in flight finish on the old one. An activation this processor cannot honour (unknown version,
 * sha256 other than its catalog pins, file missing or tampered with) is logged and the running model stays.
 *
 * <p>It reads the topic from the beginning with no consumer group, so every processor instance applies every
 * activation, whether it started before or after it.
 */
public final class ModelActivationWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelActivationWatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final ModelStore store;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private Thread thread;
    private boolean closed;

    private ModelActivationWatcher(String bootstrapServers, String topic, ModelStore store) {
        this.store = store;
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(KafkaClients.config(bootstrapServers, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "sightline-model-watcher")),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Applies the latest face detector activation in the topic, then follows the topic on a daemon thread. Call
     * before anything takes the store's face detector, so the first frame already runs the activated version. Close
     * the watcher before the store.
     *
     * @param store borrowed: close it after this
     */
    public static ModelActivationWatcher start(String bootstrapServers, String topic, ModelStore store,
            Duration timeout) {
        var watcher = new ModelActivationWatcher(bootstrapServers, topic, store);
        try {
            watcher.applyLatest(timeout);
            watcher.thread = new Thread(watcher::run, "sightline-model-watcher");
            watcher.thread.setDaemon(true);
            watcher.thread.start();
            return watcher;
        } catch (RuntimeException e) {
            watcher.close();
            throw e;
        }
    }

    /**
     * Applies the latest face detector activation in the topic and returns the model the store runs then, without
     * following the topic afterwards: for a job that must run one version from start to end, like a replay.
     *
     * @param store borrowed: close it after this
     */
    public static ModelInfo applyLatest(String bootstrapServers, String topic, ModelStore store, Duration timeout) {
        try (var watcher = new ModelActivationWatcher(bootstrapServers, topic, store)) {
            watcher.applyLatest(timeout);
        }
        return store.faceDetector().model();
    }

    private void applyLatest(Duration timeout) {
        ConsumerRecord<String, byte[]> latest = null;
        for (ConsumerRecord<String, byte[]> record : ModelActivationTopic.readToEnd(consumer, topic, timeout)) {
            if (ModelStore.FACE_DETECTOR_ROLE.equals(record.key()) && record.value() != null) {
                latest = record;
            }
        }
        if (latest != null) {
            apply(latest);
        }
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (ModelStore.FACE_DETECTOR_ROLE.equals(record.key()) && record.value() != null) {
                        apply(record);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("model activations in {} are no longer followed: {}", topic, e.toString(), e);
        }
    }

    /** Switches to the activated version, or logs why not and keeps the running one. */
    private void apply(ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            ModelActivation activation = ModelActivation.fromJson(record.key(), record.value());
            ModelManifest manifest = ModelStore.faceDetectorVersion(activation.model());
            if (!manifest.sha256().equals(activation.sha256())) {
                throw new IllegalArgumentException(activation.model() + " was activated with sha256 "
                        + activation.sha256() + " but this processor's catalog pins " + manifest.sha256());
            }
            long start = System.nanoTime();
            ModelInfo replaced = store.activate(activation.model());
            if (!replaced.equals(manifest.info())) {
                LOG.info("model switched from {} to {} for {} ({} loaded in {} ms)", label(replaced),
                        manifest.label(), record.key(), where, (System.nanoTime() - start) / 1_000_000);
            }
        } catch (RuntimeException e) {
            // A bad activation must never stop the processor: whatever went wrong, the running model stays.
            LOG.warn("model activation at {} refused, {} keeps running: {}", where, running(), e.getMessage());
        }
    }

    private String running() {
        try {
            return label(store.faceDetector().model());
        } catch (RuntimeException e) {
            return "the current model";
        }
    }

    private static String label(ModelInfo model) {
        return model.name() + "@" + model.version();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        TopicFollowers.stop(thread, consumer, Duration.ofSeconds(30));
    }
}
