package io.sightline.dashboard;

import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Settings of one dashboard instance, validated once at start. Instances with the same {@code applicationId} share
 * the state stores' partitions and answer for each other's cameras over HTTP.
 *
 * @param bootstrapServers  Kafka brokers
 * @param registryUrl       Confluent-compatible schema registry URL(s), comma-separated
 * @param topics            Sightline's topics (detections, annotated and dlq are read)
 * @param alertsTopic       a user output shown in the alerts strip; may not exist yet
 * @param statsTopic        where the windowed per-camera counts are published (created when missing)
 * @param bind              address the HTTP server listens on
 * @param port              HTTP port; 0 picks a free one
 * @param advertisedHost    host name other instances reach this one by (Kafka Streams' {@code application.server})
 * @param applicationId     Kafka Streams application id of the dashboards
 * @param processorGroup    consumer group of the stream processor, for the lag shown under pipeline health
 * @param maxEventsPerCamera events kept per camera for the events API (older ones are dropped)
 * @param maxRecordBytes    largest record to read (annotated images)
 * @param kafkaOverrides    Kafka Streams / client settings passed through as is
 */
public record DashboardConfig(String bootstrapServers, String registryUrl, Topics topics, String alertsTopic,
        String statsTopic, String bind, int port, String advertisedHost, String applicationId, String processorGroup,
        int maxEventsPerCamera, int maxRecordBytes, Map<String, String> kafkaOverrides) {

    public static final String DEFAULT_APPLICATION_ID = "sightline-dashboard";
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8090;
    public static final int DEFAULT_MAX_EVENTS_PER_CAMERA = 10_000;

    public DashboardConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be given, e.g. localhost:9092");
        }
        if (registryUrl == null || registryUrl.isBlank()) {
            throw new IllegalArgumentException("a schema registry URL must be given, e.g. http://localhost:8081");
        }
        Objects.requireNonNull(topics, "topics");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        if (maxEventsPerCamera < 1) {
            throw new IllegalArgumentException("events kept per camera must be at least 1, got " + maxEventsPerCamera);
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application id must not be blank");
        }
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("--bind must name an address, e.g. 127.0.0.1 or 0.0.0.0");
        }
        advertisedHost = advertisedHost == null || advertisedHost.isBlank() ? defaultAdvertisedHost(bind) : advertisedHost;
        kafkaOverrides = Map.copyOf(kafkaOverrides);
    }

    /** Defaults for everything but the cluster: topics under {@code prefix}, port 8090 on 127.0.0.1. */
    public static DashboardConfig of(String bootstrapServers, String registryUrl, String prefix, int maxRecordBytes) {
        Topics topics = Topics.withPrefix(prefix);
        return new DashboardConfig(bootstrapServers, registryUrl, topics, topics.alerts(), topics.stats(), DEFAULT_BIND, DEFAULT_PORT, null, DEFAULT_APPLICATION_ID,
                "sightline-processor", DEFAULT_MAX_EVENTS_PER_CAMERA, maxRecordBytes, Map.of());
    }

    public DashboardConfig withListener(String bind, int port, String advertisedHost) {
        return new DashboardConfig(bootstrapServers, registryUrl, topics, alertsTopic, statsTopic, bind, port,
                advertisedHost, applicationId, processorGroup, maxEventsPerCamera, maxRecordBytes, kafkaOverrides);
    }

    public DashboardConfig withApplicationId(String applicationId, String processorGroup) {
        return new DashboardConfig(bootstrapServers, registryUrl, topics, alertsTopic, statsTopic, bind, port,
                advertisedHost, applicationId, processorGroup, maxEventsPerCamera, maxRecordBytes, kafkaOverrides);
    }

    public DashboardConfig withKafkaOverrides(Map<String, String> kafkaOverrides) {
        return new DashboardConfig(bootstrapServers, registryUrl, topics, alertsTopic, statsTopic, bind, port,
                advertisedHost, applicationId, processorGroup, maxEventsPerCamera, maxRecordBytes, kafkaOverrides);
    }

    /** Listening on every address says nothing about how peers reach us: then the machine's name. */
    private static String defaultAdvertisedHost(String bind) {
        if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
            return bind;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * The dashboard's Kafka Streams settings, {@code self} being the address peers reach this instance at; Kafka
     * client settings given pass through and win.
     *
     * @param stateDir holds only locks and checkpoints: the stores are in memory, rebuilt from their changelogs
     */
    Properties streamsProperties(HostInfo self, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        p.putAll(KafkaClients.config(bootstrapServers()));
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // The annotated topic is the snapshots table's changelog: no second copy of every image.
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), maxRecordBytes());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 4 * maxRecordBytes());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        p.putAll(kafkaOverrides());
        return p;
    }
}
