package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.cluster.LocalCluster;
import io.sightline.schemas.ConfluentAvroDeserializer;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Detection events and dead letters, in the order the processor wrote them (one partition each). */
final class ProcessorOutputs implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final ConfluentAvroDeserializer<DetectionEvent> events;
    private final ConfluentAvroDeserializer<DeadLetter> letters;
    private final Topics topics;
    private final List<DetectionEvent> detections = new ArrayList<>();
    final List<Long> arrivalNanos = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();

    ProcessorOutputs(LocalCluster cluster, Topics topics) {
        this.topics = topics;
        var client = SchemaRegistryClient.forUrls(cluster.registryUrl().toString());
        events = new ConfluentAvroDeserializer<>(client, DetectionEvent.class);
        letters = new ConfluentAvroDeserializer<>(client, DeadLetter.class);
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer());
        var partitions = List.of(new TopicPartition(topics.detections(), 0),
                new TopicPartition(topics.deadLetters(), 0));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** All outputs once events and dead letters together number {@code count}; then 1 s more for extras. */
    List<DetectionEvent> await(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (detections.size() + deadLetters.size() < count && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(100));
        }
        poll(Duration.ofSeconds(1));
        assertThat(detections.size() + deadLetters.size()).as("outputs").isEqualTo(count);
        return List.copyOf(detections);
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            if (record.topic().equals(topics.detections())) {
                detections.add(events.deserialize(record.topic(), record.value()));
                arrivalNanos.add(System.nanoTime());
            } else {
                deadLetters.add(letters.deserialize(record.topic(), record.value()));
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
