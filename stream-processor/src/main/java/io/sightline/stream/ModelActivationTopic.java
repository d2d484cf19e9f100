package io.sightline.stream;

import io.sightline.schemas.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The compacted model activations topic as tools write and read it: key = role, value = {@link ModelActivation} as
 * JSON. Processors follow it with {@link ModelActivationWatcher}.
 */
public final class ModelActivationTopic {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String topic;

    public ModelActivationTopic(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    /** Writes an activation and waits until the cluster has it. */
    public void activate(ModelActivation activation) {
        Map<String, Object> config = KafkaClients.config(bootstrapServers, Map.of(ProducerConfig.ACKS_CONFIG, "all"));
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, activation.role(), activation.toJson()))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write to " + topic + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no acknowledgement from " + topic + " after " + TIMEOUT.toSeconds()
                    + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic);
        }
    }

    /** The activations in force, by role: the topic read to its end, the last readable record per role winning. */
    public Map<String, ModelActivation> activations() {
        Map<String, Object> config = KafkaClients.config(bootstrapServers, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        Map<String, ModelActivation> activations = new TreeMap<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            for (ConsumerRecord<String, byte[]> record : readToEnd(consumer, topic, TIMEOUT)) {
                if (record.key() != null && record.value() != null) {
                    try {
                        activations.put(record.key(), ModelActivation.fromJson(record.key(), record.value()));
                    } catch (IllegalArgumentException unreadable) {
                        // not written by `models activate`; processors refuse it too
                    }
                }
            }
        }
        return activations;
    }

    /** Every record from the beginning of the topic to its end as of now, in order per partition. */
    static List<ConsumerRecord<String, byte[]>> readToEnd(KafkaConsumer<String, byte[]> consumer, String topic,
            Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        TopicFollowers.readToEnd(consumer, topic, timeout, records::add);
        return records;
    }
}
