package io.sightline.app;

import io.sightline.cluster.Preflight;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How to reach an existing Kafka cluster and schema registry, securely if need be (the security options are
 * inherited, so they sit beside these wherever these are used); shared by every command that uses a cluster.
 */
final class KafkaOptions extends KafkaSecurityOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true,
            description = "Kafka brokers, comma-separated (`sightline broker` prints one).")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", required = true,
            description = "Confluent-compatible schema registry URL(s), comma-separated.")
    String registryUrl;

    @Option(names = "--registry-user-info", paramLabel = "USER:PASSWORD",
            description = "HTTP basic credentials for a registry that requires them (Confluent's basic.auth.user.info "
                    + "with basic.auth.credentials.source USER_INFO); a user and password in the URL also work "
                    + "(source URL). Best given by the environment variable (default: none).")
    String registryUserInfo;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
            description = "Topics are PREFIX.frames, .detections, .annotated, .dlq, .udfs (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--startup-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long to wait at start for the cluster, its topics and the registry before giving up "
                    + "(default: ${DEFAULT-VALUE}).")
    int startupTimeoutSeconds;

    /** Fails with one line saying what to fix unless the cluster, the given topics and the registry answer. */
    void requireReachable(List<String> topics) {
        apply(bootstrapServers);
        if (startupTimeoutSeconds < 1) {
            throw new IllegalArgumentException("--startup-timeout must be at least 1 second, got " + startupTimeoutSeconds);
        }
        Preflight.requireCluster(bootstrapServers, topics, Duration.ofSeconds(startupTimeoutSeconds));
        Preflight.requireRegistry(registryUrls());
    }

    /**
     * Fails with one line naming the topic, the setting and the fix unless every topic keeps its records by when
     * they were written, not by a camera's capture time (after {@link #requireReachable}).
     */
    void requireWriteTime(Collection<String> recordTopics) {
        Preflight.requireWriteTime(bootstrapServers, recordTopics, Duration.ofSeconds(startupTimeoutSeconds));
    }

    /** What every ingest command checks at start: the frames and dead-letter topics, reachable and kept by write time. */
    void requireIngestTopics() {
        List<String> topics = List.of(topics().frames(), topics().deadLetters());
        requireReachable(topics);
        requireWriteTime(topics);
    }

    /** Creates the compacted control topic unless it exists (after {@link #requireReachable}). */
    void ensureControlTopic(String topic) {
        Preflight.ensureCompactedTopic(bootstrapServers, topic, Duration.ofSeconds(startupTimeoutSeconds));
    }

    /** Creates each named output's topic ({@code <prefix>.<output>}) unless it exists, partitioned like the frames. */
    void ensureOutputTopics(Collection<String> outputs) {
        Preflight.ensureOutputTopics(bootstrapServers, topics().frames(),
                outputs.stream().map(topics()::output).toList(), Duration.ofSeconds(startupTimeoutSeconds));
    }

    SightlineSerdes serdes() {
        return SightlineSerdes.forUrls(registryUrls());
    }

    /** The registry URLs as clients take them: with the user and password of --registry-user-info, if given. */
    String registryUrls() {
        return registryUserInfo == null ? registryUrl : SchemaRegistryClient.withUserInfo(registryUrl, registryUserInfo);
    }

    Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }

    /** The default frame limits with the record limit the cluster enforces on our topics. */
    FrameLimits limits() {
        return FrameLimits.defaults().fromCluster(bootstrapServers, topics().all());
    }
}
