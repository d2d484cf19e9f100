package io.sightline.app;

import io.sightline.app.broker.EmbeddedKafka;
import io.sightline.app.broker.EmbeddedKafkaConfig;
import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.RegistryConfig;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka on one machine: the in-process KRaft broker with Sightline's topics created, and the schema registry keeping
 * its state in the broker's {@code _schemas} topic (so a kept data directory keeps the schema ids too).
 */
final class LocalCluster implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;

    private LocalCluster(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /**
     * @param registryPort 0 picks a free port
     * @param partitions   partitions of every topic; the most stream threads that can share the work
     */
    static LocalCluster start(EmbeddedKafkaConfig kafkaConfig, int registryPort, Topics topics, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaConfig);
        try {
            Map<String, Integer> topicPartitions = new LinkedHashMap<>();
            topics.all().forEach(topic -> topicPartitions.put(topic, partitions));
            kafka.createTopics(topicPartitions);
            RegistryConfig registryConfig = RegistryConfig.onKafka(kafka.bootstrapServers()).withPort(registryPort);
            return new LocalCluster(kafka, EmbeddedSchemaRegistry.start(registryConfig));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    URI registryUrl() {
        return registry.url();
    }

    Duration brokerStartupTime() {
        return kafka.startupTime();
    }

    SightlineSerdes serdes() {
        return SightlineSerdes.forUrls(registry.url().toString());
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
