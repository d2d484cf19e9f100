package io.sightline.edge;

import io.sightline.schemas.KafkaClients;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far forwarding has got, measured on both clusters: for every forwarded partition, the edge's end offset and
 * the source offset of the last record at the centre (the {@value SchemaIdTranslation#SOURCE_OFFSET_HEADER} header
 * the forwarder writes), hence the records still waiting at the edge and the age of the oldest of them. While the
 * centre cannot be reached the last positions seen are kept, so the backlog keeps growing in the numbers as it does
 * in the edge's log.
 */
public final class ForwardingMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardingMonitor.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(200);

    private final EdgeForwarderConfig config;
    private final Pattern forwarded;
    private final Admin edgeAdmin;
    private final Admin centralAdmin;
    private final KafkaConsumer<byte[], byte[]> edge;
    private final KafkaConsumer<byte[], byte[]> central;
    private final Map<TopicPartition, Long> forwardedPositions = new HashMap<>();
    /** Null while the centre cannot say how much it stores (it refuses to describe its log dirs). */
    private Long forwardedBytes;
    private boolean centralReachable;

    /** One look at both clusters. */
    public record Status(long forwardedRecords, long pendingRecords, Long oldestPendingAgeMs, Long forwardedBytes,
            boolean centralReachable, Map<String, Long> pendingByTopic) {
    }

    public ForwardingMonitor(EdgeForwarderConfig config) {
        this.config = config;
        this.forwarded = Pattern.compile(String.join("|", config.forwardedTopicPatterns()));
        this.edgeAdmin = admin(config.edgeBootstrap());
        this.centralAdmin = admin(config.centralBootstrap());
        this.edge = consumer(config.edgeBootstrap());
        this.central = consumer(config.centralBootstrap());
    }

    /** Reads positions on both clusters (a few hundred ms; up to a few seconds when the centre is away). */
    public synchronized Status status() {
        Map<TopicPartition, Long> edgeEnds = edgeEnds();
        centralReachable = refreshForwarded(edgeEnds.keySet());
        long pending = 0;
        long done = 0;
        Long oldest = null;
        Map<String, Long> pendingByTopic = new HashMap<>();
        long now = System.currentTimeMillis();
        Map<TopicPartition, Long> waitingFrom = new HashMap<>();
        for (var entry : edgeEnds.entrySet()) {
            long position = forwardedPositions.getOrDefault(entry.getKey(), 0L);
            long waiting = Math.max(0, entry.getValue() - position);
            done += Math.min(position, entry.getValue());
            pending += waiting;
            pendingByTopic.merge(entry.getKey().topic(), waiting, Long::sum);
            if (waiting > 0) {
                waitingFrom.put(entry.getKey(), position);
            }
        }
        if (!waitingFrom.isEmpty()) {
            for (long timestamp : edgeTimestamps(waitingFrom).values()) {
                long age = Math.max(0, now - timestamp);
                oldest = oldest == null ? age : Math.max(oldest, age);
            }
        }
        return new Status(done, pending, oldest, forwardedBytes, centralReachable, pendingByTopic);
    }

    private Map<TopicPartition, Long> edgeEnds() {
        try {
            Set<String> topics = edgeAdmin.listTopics().names().get();
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                if (forwarded.matcher(topic).matches()) {
                    edge.partitionsFor(topic, TIMEOUT)
                            .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                }
            }
            return edge.endOffsets(partitions, TIMEOUT);
        } catch (Exception e) {
            LOG.debug("edge positions unavailable: {}", e.toString());
            return Map.of();
        }
    }

    /** The forwarded position of every partition: one past the source offset of the last record at the centre. */
    private boolean refreshForwarded(Set<TopicPartition> edgePartitions) {
        try {
            Set<String> remoteTopics = centralAdmin.listTopics().names().get();
            List<TopicPartition> remote = new ArrayList<>();
            Map<TopicPartition, TopicPartition> edgeOf = new HashMap<>();
            for (TopicPartition partition : edgePartitions) {
                var target = new TopicPartition(config.remoteTopic(partition.topic()), partition.partition());
                if (remoteTopics.contains(target.topic())) {
                    remote.add(target);
                    edgeOf.put(target, partition);
                }
            }
            Map<TopicPartition, Long> ends = central.endOffsets(remote, TIMEOUT);
            lastSourceOffsets(ends).forEach((target, sourceOffset) ->
                    forwardedPositions.put(edgeOf.get(target), sourceOffset + 1));
            forwardedBytes = remoteBytes(remoteTopics);
            return true;
        } catch (Exception e) {
            LOG.debug("central positions unavailable: {}", e.toString());
            return false;
        }
    }

    /** The source offset the last record of each non-empty partition at the centre carries. */
    private Map<TopicPartition, Long> lastSourceOffsets(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> last = new HashMap<>();
        List<TopicPartition> nonEmpty = ends.entrySet().stream().filter(end -> end.getValue() > 0)
                .map(Map.Entry::getKey).toList();
        central.assign(nonEmpty);
        nonEmpty.forEach(partition -> central.seek(partition, ends.get(partition) - 1));
        Set<TopicPartition> seen = new HashSet<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (seen.size() < nonEmpty.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : central.poll(POLL)) {
                var partition = new TopicPartition(record.topic(), record.partition());
                if (seen.add(partition)) {
                    Header header = record.headers().lastHeader(SchemaIdTranslation.SOURCE_OFFSET_HEADER);
                    if (header != null && header.value().length == Long.BYTES) {
                        last.put(partition, ByteBuffer.wrap(header.value()).getLong());
                    }
                }
            }
        }
        central.assign(List.of());
        return last;
    }

    /** The timestamp of the record at each given offset of the edge's partitions. */
    private Map<TopicPartition, Long> edgeTimestamps(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> timestamps = new HashMap<>();
        edge.assign(offsets.keySet());
        offsets.forEach(edge::seek);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (timestamps.size() < offsets.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : edge.poll(POLL)) {
                timestamps.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.timestamp());
            }
        }
        edge.assign(List.of());
        return timestamps;
    }

    /**
     * Bytes of the site's topics at the centre: what has crossed the link (batch headers included); null when the
     * centre does not describe its log dirs (an ACL, or a broker that cannot see its own disks).
     */
    private Long remoteBytes(Set<String> remoteTopics) {
        try {
            return storedBytes(remoteTopics);
        } catch (Exception e) {
            LOG.debug("central log dirs unavailable: {}", e.toString());
            return null;
        }
    }

    private long storedBytes(Set<String> remoteTopics) throws Exception {
        String prefix = config.site() + ".";
        var brokers = centralAdmin.describeCluster().nodes().get().stream().map(node -> node.id()).toList();
        long bytes = 0;
        for (Map<String, LogDirDescription> dirs : centralAdmin.describeLogDirs(brokers).allDescriptions().get()
                .values()) {
            for (LogDirDescription dir : dirs.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                    if (replica.getKey().topic().startsWith(prefix) && remoteTopics.contains(replica.getKey().topic())) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(KafkaClients.config(bootstrap, Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.CLIENT_ID_CONFIG, "sightline-edge-monitor")));
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(KafkaClients.config(bootstrap, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.CLIENT_ID_CONFIG, "sightline-edge-monitor")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public synchronized void close() {
        edge.close();
        central.close();
        edgeAdmin.close();
        centralAdmin.close();
    }
}
