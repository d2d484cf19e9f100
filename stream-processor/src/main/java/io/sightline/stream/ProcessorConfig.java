package io.sightline.stream;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the stream processor, validated once at start. Kafka client settings in {@code kafkaOverrides} pass
 * through untouched and win over the defaults chosen here.
 *
 * @param applicationId    Kafka Streams application id (consumer group and state directory name)
 * @param bootstrapServers Kafka brokers
 * @param topics           topics read and written
 * @param threads          stream threads in this instance; each holds its own Wasm instances
 * @param maxRecordBytes   largest frame or annotated image that fits in a record
 */
public record ProcessorConfig(String applicationId, String bootstrapServers, Topics topics, int threads,
        int maxRecordBytes, Map<String, String> kafkaOverrides) {

    public static final String DEFAULT_APPLICATION_ID = "sightline-processor";
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

    public ProcessorConfig {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application id must not be blank");
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be given, e.g. localhost:9092");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (maxRecordBytes < 1024 * 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 1 MiB to hold a frame, got " + maxRecordBytes);
        }
        kafkaOverrides = Map.copyOf(kafkaOverrides);
    }

    public static ProcessorConfig of(String bootstrapServers, Topics topics, int threads) {
        return new ProcessorConfig(DEFAULT_APPLICATION_ID, bootstrapServers, topics, threads,
                DEFAULT_MAX_RECORD_BYTES, Map.of());
    }

    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        // Frames are large and each takes tens of milliseconds: commit often, fetch few at a time.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 50);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), maxRecordBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 4 * maxRecordBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxRecordBytes);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.putAll(kafkaOverrides);
        return p;
    }
}
