package io.sightline.schemas;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;

/**
 * Sightline's topics keep records by when they were written, never by when a camera says a frame was taken. A
 * record's Kafka timestamp decides two things: retention ({@code retention.ms} deletes a closed segment once its
 * newest timestamp is that old) and, for {@code CreateTime} topics, admission ({@code message.timestamp.after.max.ms}
 * refuses records stamped more than an hour ahead). A frame's capture time is a camera's word — a year back for an
 * archive, hours ahead for a camera in the wrong time zone — so it travels inside the record ({@code capturedAt})
 * and the topics stamp {@code LogAppendTime}: the broker's clock when the record was appended. Sightline's producers
 * leave the timestamp to the producer's clock too, so its own records are stamped at write time on any topic.
 */
public final class WriteTime {

    /** The topic setting, on every topic Sightline creates (and the embedded broker's default). */
    public static final Map<String, String> TOPIC_CONFIG =
            Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, TimestampType.LOG_APPEND_TIME.name);

    private WriteTime() {}

    /** {@code configs} with the write-time setting added: for a topic about to be created. */
    public static Map<String, String> withWriteTime(Map<String, String> configs) {
        var all = new HashMap<>(configs);
        all.putAll(TOPIC_CONFIG);
        return Map.copyOf(all);
    }

    /**
     * What is wrong with a topic whose {@code message.timestamp.type} is {@code type}, in one line naming the topic,
     * the setting and the fix; empty when it keeps records by write time.
     *
     * @param bootstrapServers put into the fix's command line
     */
    public static Optional<String> problem(String topic, String type, String bootstrapServers) {
        if (TimestampType.LOG_APPEND_TIME.name.equals(type)) {
            return Optional.empty();
        }
        return Optional.of("topic " + topic + " has " + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG + "=" + type
                + ": the broker would delete its records by, and refuse them for, the time their producer stamps (a"
                + " camera's capture time, a year back or hours ahead), not when they were written; fix: kafka-configs.sh"
                + " --bootstrap-server " + bootstrapServers + " --alter --entity-type topics --entity-name " + topic
                + " --add-config " + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG + "="
                + TimestampType.LOG_APPEND_TIME.name);
    }
}
