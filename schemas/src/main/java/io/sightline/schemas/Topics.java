package io.sightline.schemas;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The topics a Sightline deployment reads and writes, all under one prefix. {@link #all()} lists the record topics
 * frames flow through; {@code udfs} is the compacted topic of UDF deployments, keyed by UDF name; a UDF's named
 * output NAME goes to {@link #output(String) prefix.NAME}.
 */
public record Topics(String frames, String detections, String annotated, String deadLetters, String udfs,
        String prefix) {

    public static final String DEFAULT_PREFIX = "sightline";
    /** Output names that would land on one of the topics above. */
    public static final Set<String> RESERVED_OUTPUTS = Set.of("frames", "detections", "annotated", "dlq", "udfs");
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public Topics {
        for (String topic : List.of(frames, detections, annotated, deadLetters, udfs, prefix + ".x")) {
            if (!LEGAL.matcher(topic).matches()) {
                throw new IllegalArgumentException("'" + topic + "' is not a legal Kafka topic name");
            }
        }
    }

    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + ".frames", prefix + ".detections", prefix + ".annotated", prefix + ".dlq",
                prefix + ".udfs", prefix);
    }

    /** The topic of a UDF's named output, e.g. {@code alerts} → {@code sightline.alerts}. */
    public String output(String name) {
        return prefix + "." + name;
    }

    public List<String> all() {
        return List.of(frames, detections, annotated, deadLetters);
    }
}
