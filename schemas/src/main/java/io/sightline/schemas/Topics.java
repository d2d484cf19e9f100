package io.sightline.schemas;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The topics a Sightline deployment reads and writes, all under one prefix. {@link #all()} lists the record topics
 * frames flow through; {@code udfs} is the compacted topic of UDF deployments, keyed by UDF name.
 */
public record Topics(String frames, String detections, String annotated, String deadLetters, String udfs) {

    public static final String DEFAULT_PREFIX = "sightline";
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern REPLAY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public Topics {
        for (String topic : List.of(frames, detections, annotated, deadLetters, udfs)) {
            if (!LEGAL.matcher(topic).matches()) {
                throw new IllegalArgumentException("'" + topic + "' is not a legal Kafka topic name");
            }
        }
    }

    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + ".frames", prefix + ".detections", prefix + ".annotated", prefix + ".dlq",
                prefix + ".udfs");
    }

    /**
     * The topics of a replay named {@code id}: frames and UDF deployments as they are, every output topic with
     * {@code .replay.ID} appended, so reprocessed history never mixes with what live consumers read.
     */
    public Topics forReplay(String id) {
        if (id == null || !REPLAY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("replay id must be 1 to 64 letters, digits, '-' or '_', got '" + id + "'");
        }
        String suffix = ".replay." + id;
        return new Topics(frames, detections + suffix, annotated + suffix, deadLetters + suffix, udfs);
    }

    /** The topics this deployment writes: detections, annotated frames and dead letters. */
    public List<String> outputs() {
        return List.of(detections, annotated, deadLetters);
    }

    public List<String> all() {
        return List.of(frames, detections, annotated, deadLetters);
    }
}
