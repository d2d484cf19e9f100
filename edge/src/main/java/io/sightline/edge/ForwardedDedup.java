package io.sightline.edge;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * The consumer-side rule that removes the duplicates at-least-once forwarding can make, in constant memory per
 * partition. MirrorMaker keeps each edge partition's order in the same central partition, and a duplicate is always
 * a re-send of records after the last committed position; so a record whose {@value
 * SchemaIdTranslation#SOURCE_OFFSET_HEADER} is not above the highest already seen on its partition is a duplicate.
 * (Equivalently, keep the last N event ids: an event's id is the same every time it is sent.) Not thread-safe: one
 * per consumer.
 */
public final class ForwardedDedup {

    private final Map<TopicPartition, Long> highest = new HashMap<>();

    /** True the first time a forwarded record is seen; records without the header always pass. */
    public boolean firstTime(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(SchemaIdTranslation.SOURCE_OFFSET_HEADER);
        if (header == null || header.value() == null || header.value().length != Long.BYTES) {
            return true;
        }
        long sourceOffset = ByteBuffer.wrap(header.value()).getLong();
        var partition = new TopicPartition(record.topic(), record.partition());
        Long seen = highest.get(partition);
        if (seen != null && sourceOffset <= seen) {
            return false;
        }
        highest.put(partition, sourceOffset);
        return true;
    }
}
