package io.sightline.dashboard;

import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.WriteTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/** The dashboard's administrative reads and writes: the processor's lag and the stats topic. */
final class ClusterAdmin implements AutoCloseable {

    private final Admin admin;

    ClusterAdmin(String bootstrapServers) {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.admin = Admin.create(p);
    }

    /**
     * Records of {@code topic} that consumer group {@code group} has not committed yet, summed over partitions; empty
     * when the group has committed nothing there (not started yet).
     */
    OptionalLong lag(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (partition.topic().equals(topic) && offset != null) {
                latest.put(partition, OffsetSpec.latest());
            }
        });
        if (latest.isEmpty()) {
            return OptionalLong.empty();
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(5, TimeUnit.SECONDS);
        long behind = 0;
        for (var end : ends.entrySet()) {
            behind += Math.max(0, end.getValue().offset() - committed.get(end.getKey()).offset());
        }
        return OptionalLong.of(behind);
    }

    /** Creates {@code topic} unless it exists, with as many partitions as {@code like} has. */
    void ensureTopic(String topic, String like) throws Exception {
        if (admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(topic)) {
            return;
        }
        int partitions = admin.describeTopics(List.of(like)).allTopicNames().get(5, TimeUnit.SECONDS)
                .get(like).partitions().size();
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())
                    .configs(WriteTime.TOPIC_CONFIG)))
                    .all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
