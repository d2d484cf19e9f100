package io.sightline.readers;

import io.sightline.schemas.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the newest records of a few topics from every partition, without a consumer group: each reader sees all
 * records (what a live view needs, unlike a group that splits them). Starts {@code backlog} records before the end
 * of each partition, and picks up topics and partitions created later (a user output such as {@code sightline.alerts}
 * may not exist yet) by looking at the cluster's metadata every few seconds.
 */
public final class TopicTail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);
    private static final Duration METADATA_INTERVAL = Duration.ofSeconds(3);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final int backlog;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final Thread thread;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile boolean closing;

    private TopicTail(String bootstrapServers, List<String> topics, int backlog, int maxRecordBytes,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxRecordBytes);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * maxRecordBytes);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = List.copyOf(topics);
        this.backlog = backlog;
        this.handler = handler;
        this.thread = new Thread(this::run, "sightline-topic-tail");
        this.thread.setDaemon(true);
    }

    /**
     * Starts following; {@code handler} runs on the tail's own thread, one record at a time. A handler that throws
     * loses only that record.
     */
    public static TopicTail start(String bootstrapServers, List<String> topics, int backlog, int maxRecordBytes,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        var tail = new TopicTail(bootstrapServers, topics, backlog, maxRecordBytes, handler);
        tail.thread.start();
        return tail;
    }

    private void run() {
        long nextMetadataCheck = 0;
        try {
            while (!closing) {
                if (System.nanoTime() - nextMetadataCheck >= 0) {
                    followNewPartitions();
                    nextMetadataCheck = System.nanoTime() + METADATA_INTERVAL.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        handler.accept(record);
                    } catch (RuntimeException e) {
                        LOG.warn("skipped a record of {} at offset {}: {}", record.topic(), record.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closing) {
                LOG.error("topic tail stopped", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void followNewPartitions() {
        Map<String, List<PartitionInfo>> existing;
        try {
            existing = consumer.listTopics(Duration.ofSeconds(5));
        } catch (TimeoutException e) {
            LOG.warn("no topic metadata from the cluster yet ({}); trying again", e.getMessage());
            return;
        }
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : existing.getOrDefault(topic, List.of())) {
                var partition = new TopicPartition(topic, info.partition());
                if (assigned.add(partition)) {
                    added.add(partition);
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        consumer.assign(assigned);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(added);
        consumer.endOffsets(added).forEach((partition, end) ->
                consumer.seek(partition, Math.max(begin.get(partition), end - backlog)));
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
