package io.sightline.cluster;

import io.sightline.schemas.WriteTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;

/** The broker properties of a single node that is its own KRaft controller, listening on loopback only. */
final class BrokerProperties {

    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;

    private BrokerProperties() {
    }

    /** {@code config} must be resolved: a data directory and non-zero ports. */
    static Map<String, String> of(EmbeddedKafkaConfig config) {
        Map<String, String> props = new LinkedHashMap<>();
        props.putAll(kraftSingleNode(config));
        props.putAll(singleReplicaInternalTopics());
        props.putAll(largeMessages(config.maxMessageBytes()));
        props.putAll(smallFootprint());
        props.putAll(writeTimeRetention());
        props.putAll(config.overrides());
        return props;
    }

    private static Map<String, String> kraftSingleNode(EmbeddedKafkaConfig config) {
        String dataDir = config.dataDir().toAbsolutePath().toString();
        return Map.of(
                "process.roles", "broker,controller",
                "node.id", Integer.toString(NODE_ID),
                // A static voter set: nothing about the controller endpoint is written into storage, so a kept
                // data directory can be restarted on other ports.
                "controller.quorum.voters", NODE_ID + "@" + HOST + ":" + config.controllerPort(),
                "controller.listener.names", "CONTROLLER",
                "listeners", "PLAINTEXT://" + HOST + ":" + config.port() + ",CONTROLLER://" + HOST + ":"
                        + config.controllerPort(),
                "advertised.listeners", "PLAINTEXT://" + HOST + ":" + config.port(),
                "inter.broker.listener.name", "PLAINTEXT",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs", dataDir,
                "metadata.log.dir", dataDir);
    }

    /** The defaults ask for 3 replicas, which one node can never host. */
    private static Map<String, String> singleReplicaInternalTopics() {
        return Map.of(
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1",
                // Nobody else will join: the first group member need not wait 3 s for company.
                "group.initial.rebalance.delay.ms", "0");
    }

    private static Map<String, String> largeMessages(int maxMessageBytes) {
        String max = Integer.toString(maxMessageBytes);
        return Map.of(
                "message.max.bytes", max,
                "replica.fetch.max.bytes", max);
    }

    /**
     * Every topic on this broker keeps and admits records by when they were appended, not by the time their producer
     * stamped (a camera's capture time): see {@link WriteTime}. Topics created by earlier versions get it too.
     */
    private static Map<String, String> writeTimeRetention() {
        return Map.of("log." + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, TimestampType.LOG_APPEND_TIME.name);
    }

    /** One process on a small box: 50-partition internal topics and a 128 MiB cleaner buffer are waste here. */
    private static Map<String, String> smallFootprint() {
        return Map.of(
                "offsets.topic.num.partitions", "5",
                "transaction.state.log.num.partitions", "5",
                "share.coordinator.state.topic.num.partitions", "5",
                "log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    }
}
