package io.sightline.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where a frame was first read (topic, partition, offset) and its place in its camera's sequence, carried in headers
 * while the frame and its event travel through the topology's internal topics: a dead letter names the frame's
 * offset in the frames topic, not in an internal one, and the event is put back in its camera's order.
 */
record RecordOrigin(String topic, int partition, long offset) {

    static final String TOPIC = "sightline.origin.topic";
    static final String PARTITION = "sightline.origin.partition";
    static final String OFFSET = "sightline.origin.offset";
    static final String SEQUENCE = "sightline.sequence";

    /** The origin in {@code headers}, else where the processor read the record. */
    static RecordOrigin of(Headers headers, RecordMetadata read) {
        return of(headers, new RecordOrigin(read.topic(), read.partition(), read.offset()));
    }

    /** The origin in {@code headers}, else {@code read}. */
    static RecordOrigin of(Headers headers, RecordOrigin read) {
        Header topic = headers.lastHeader(TOPIC);
        OptionalLong partition = longHeader(headers, PARTITION);
        OptionalLong offset = longHeader(headers, OFFSET);
        if (topic != null && partition.isPresent() && offset.isPresent()) {
            return new RecordOrigin(new String(topic.value(), StandardCharsets.UTF_8), (int) partition.getAsLong(),
                    offset.getAsLong());
        }
        return read;
    }

    /** {@code headers} with this origin and the frame's number in its camera's sequence added. */
    Headers stamp(Headers headers, long sequence) {
        Headers stamped = new RecordHeaders(headers.toArray());
        stamped.remove(TOPIC).remove(PARTITION).remove(OFFSET).remove(SEQUENCE);
        return stamped.add(TOPIC, topic.getBytes(StandardCharsets.UTF_8))
                .add(PARTITION, bytes(partition))
                .add(OFFSET, bytes(offset))
                .add(SEQUENCE, bytes(sequence));
    }

    /** The frame's number in its camera's sequence, when it was spread. */
    static OptionalLong sequence(Headers headers) {
        return longHeader(headers, SEQUENCE);
    }

    /** {@code headers} without what the topology added: outputs carry only what the frame came with. */
    static Headers strip(Headers headers) {
        if (headers.lastHeader(SEQUENCE) == null && headers.lastHeader(TOPIC) == null) {
            return headers;
        }
        Headers stripped = new RecordHeaders(headers.toArray());
        stripped.remove(TOPIC).remove(PARTITION).remove(OFFSET).remove(SEQUENCE);
        return stripped;
    }

    private static byte[] bytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private static OptionalLong longHeader(Headers headers, String key) {
        return Optional.ofNullable(headers.lastHeader(key))
                .map(Header::value)
                .filter(value -> value != null && value.length == Long.BYTES)
                .map(value -> OptionalLong.of(ByteBuffer.wrap(value).getLong()))
                .orElse(OptionalLong.empty());
    }
}
