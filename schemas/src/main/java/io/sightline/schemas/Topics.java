package io.sightline.schemas;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The topics a Sightline deployment reads and writes, all under one prefix. {@link #all()} lists the record topics
 * frames flow through; {@code udfs} is the compacted topic of UDF deployments, keyed by UDF name, {@link #models()}
 * that of model activations; a UDF's named output NAME goes to {@link #output(String) prefix.NAME}.
 */
public record Topics(String frames, String detections, String annotated, String deadLetters, String udfs,
        String prefix, String outputSuffix) {

    public static final String DEFAULT_PREFIX = "sightline";
    /** The output name of track lifecycle records: topic {@code <prefix>.tracks}. */
    public static final String TRACKS = "tracks";
    /** The names under the prefix that Sightline's own topics take (below); no UDF output may be named so. */
    private static final List<String> OWN = List.of("frames", "detections", "annotated", "dlq", "udfs", "models",
            "readings", "stats", TRACKS);
    /** Output names that would land on one of Sightline's own topics. */
    public static final Set<String> RESERVED_OUTPUTS = Set.copyOf(OWN);
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern REPLAY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public Topics {
        Objects.requireNonNull(outputSuffix, "outputSuffix");
        for (String topic : List.of(frames, detections, annotated, deadLetters, udfs, prefix + ".x")) {
            if (!LEGAL.matcher(topic).matches()) {
                throw new IllegalArgumentException("'" + topic + "' is not a legal Kafka topic name");
            }
        }
    }

    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + ".frames", prefix + ".detections", prefix + ".annotated", prefix + ".dlq",
                prefix + ".udfs", prefix, "");
    }

    /**
     * The topic of a UDF's named output, e.g. {@code alerts} → {@code sightline.alerts} (in a replay
     * {@code sightline.alerts.replay.ID}).
     */
    public String output(String name) {
        return prefix + "." + name + outputSuffix;
    }

    /**
     * The topics of a replay named {@code id}: frames and UDF deployments as they are, every output topic (named
     * outputs too) with {@code .replay.ID} appended, so reprocessed history never mixes with what live consumers read.
     */
    public Topics forReplay(String id) {
        if (id == null || !REPLAY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("replay id must be 1 to 64 letters, digits, '-' or '_', got '" + id + "'");
        }
        String suffix = ".replay." + id;
        return new Topics(frames, detections + suffix, annotated + suffix, deadLetters + suffix, udfs, prefix,
                outputSuffix + suffix);
    }

    /**
     * The compacted topic of model activations ({@code models activate}), keyed by the model's role (e.g.
     * {@code face-detector}); processors follow it to switch model versions while running.
     */
    public String models() {
        return prefix + ".models";
    }

    /** Sensor readings that rode on no frame ({@code ingest mqtt}), keyed by camera: {@code <prefix>.readings}. */
    public String readings() {
        return output("readings");
    }

    /** The dashboard's per-camera counts per window: {@code <prefix>.stats}. */
    public String stats() {
        return output("stats");
    }

    /** Track lifecycle records ({@code TrackEvent}: started, ended), keyed by camera: {@code <prefix>.tracks}. */
    public String tracks() {
        return output(TRACKS);
    }

    /** Where alerts go: the {@code alerts} output of the bundled crowd-alert UDF, which the dashboard shows. */
    public String alerts() {
        return output("alerts");
    }

    /** The topics this deployment writes: detections, annotated frames and dead letters. */
    public List<String> outputs() {
        return List.of(detections, annotated, deadLetters);
    }

    public List<String> all() {
        return List.of(frames, detections, annotated, deadLetters);
    }
}
