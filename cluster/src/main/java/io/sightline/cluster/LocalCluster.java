package io.sightline.cluster;

import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.RegistryConfig;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SerdeType;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Kafka on one machine: the in-process KRaft broker with Sightline's topics created, and the schema registry keeping
 * its state in the broker's {@code _schemas} topic (so a kept data directory keeps the schema ids too).
 */
public final class LocalCluster implements AutoCloseable {

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
    public static LocalCluster start(EmbeddedKafkaConfig kafkaConfig, int registryPort, Topics topics, int partitions) {
        return start(kafkaConfig, registryPort, topics, partitions, Set.of());
    }

    /** @param outputs the pipelines' named outputs: topic {@code <prefix>.<output>} is created for each */
    public static LocalCluster start(EmbeddedKafkaConfig kafkaConfig, int registryPort, Topics topics, int partitions,
            Set<String> outputs) {
        return start(kafkaConfig, Listeners.LOOPBACK, registryPort, topics, partitions, outputs);
    }

    /** @param registryBind the address the registry listens on, e.g. {@code 0.0.0.0} in a container */
    public static LocalCluster start(EmbeddedKafkaConfig kafkaConfig, String registryBind, int registryPort, Topics topics,
            int partitions, Set<String> outputs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaConfig);
        try {
            Map<String, Integer> topicPartitions = new LinkedHashMap<>();
            topics.all().forEach(topic -> topicPartitions.put(topic, partitions));
            topicPartitions.put(topics.tracks(), partitions);
            outputs.forEach(output -> topicPartitions.put(topics.output(output), partitions));
            kafka.createTopics(topicPartitions);
            kafka.createCompactedTopic(topics.udfs());
            kafka.createCompactedTopic(topics.models());
            RegistryConfig registryConfig = RegistryConfig.onKafka(kafka.bootstrapServers()).withPort(registryPort)
                    .withBindAddress(registryBind);
            var registry = EmbeddedSchemaRegistry.start(registryConfig);
            try {
                requireFullCompatibility(registry, topicPartitions.keySet());
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
            return new LocalCluster(kafka, registry);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /**
     * Sightline's own subjects are FULL: a new version may only add or remove fields that have defaults, so newer
     * readers read older records and, what dashboards and other teams' consumers rely on, older readers read newer
     * ones. The named outputs' subjects too. Other subjects keep the registry's global level (BACKWARD).
     */
    private static void requireFullCompatibility(EmbeddedSchemaRegistry registry, Collection<String> topics) {
        var client = SchemaRegistryClient.forUrls(registry.url().toString());
        topics.forEach(topic -> client.requireCompatibility(SerdeType.VALUE.subject(topic), "FULL"));
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public URI registryUrl() {
        return registry.url();
    }

    public Duration brokerStartupTime() {
        return kafka.startupTime();
    }

    public SightlineSerdes serdes() {
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
