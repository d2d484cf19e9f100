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

    public List<String> all() {
        return List.of(frames, detections, annotated, deadLetters);
    }
}
