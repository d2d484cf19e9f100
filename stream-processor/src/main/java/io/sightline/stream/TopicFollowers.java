package io.sightline.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** What the threads following a control topic (UDF deployments, model activations) share. */
final class TopicFollowers {

    private static final Duration POLL = Duration.ofMillis(200);

    private TopicFollowers() {}

    /**
     * Assigns {@code consumer} every partition of {@code topic} and hands each record from the beginning to the end as
     * of now to {@code each}, in order per partition. Records are not kept here: a follower keeps what it needs
     * (UDF deployments carry whole modules).
     */
    static <K, V> void readToEnd(Consumer<K, V> consumer, String topic, Duration timeout,
            java.util.function.Consumer<ConsumerRecord<K, V>> each) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
            consumer.poll(POLL).forEach(each);
        }
    }

    /**
     * Wakes {@code consumer} out of its poll, waits up to {@code wait} for {@code thread} (null when it never started)
     * to finish, then closes the consumer.
     */
    static void stop(Thread thread, Consumer<?, ?> consumer, Duration wait) {
        if (thread != null) {
            consumer.wakeup();
            try {
                thread.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close();
    }
}
