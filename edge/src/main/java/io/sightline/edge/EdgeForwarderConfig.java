package io.sightline.edge;

import io.sightline.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an edge site forwards to the centre and receives from it.
 *
 * @param site                   the site's id: the prefix of its topics at the centre ({@code <site>.sightline.detections})
 * @param forwardedTopicPatterns regexes of the edge topics that go to the centre
 * @param controlTopics          the centre's topics that come to the edge under the same names
 * @param avroControlTopics      those of them whose values are Avro in the Confluent wire format, so their schema ids
 *                               are translated to the edge registry's; the others pass as they are
 * @param replicationFactor      of the topics MirrorMaker creates (1 on a single-broker cluster)
 * @param maxRecordBytes         the largest record either direction carries
 * @param refreshTopics          how soon a new matching topic (a UDF's first alert) starts being forwarded
 * @param overrides              MirrorMaker 2 properties applied last, verbatim
 */
public record EdgeForwarderConfig(String site, String edgeBootstrap, String edgeRegistry, String centralBootstrap,
        String centralRegistry, List<String> forwardedTopicPatterns, List<String> controlTopics,
        List<String> avroControlTopics, int replicationFactor, int maxRecordBytes, Duration refreshTopics,
        Map<String, String> overrides) {

    private static final Pattern SITE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public EdgeForwarderConfig {
        requireSite(site);
        if (site.equals(EdgeForwarder.CENTRAL)) {
            throw new IllegalArgumentException("--site cannot be '" + EdgeForwarder.CENTRAL
                    + "': that is the central cluster's name");
        }
        forwardedTopicPatterns = List.copyOf(forwardedTopicPatterns);
        controlTopics = List.copyOf(controlTopics);
        avroControlTopics = List.copyOf(avroControlTopics);
        if (!controlTopics.containsAll(avroControlTopics)) {
            throw new IllegalArgumentException("Avro control topics " + avroControlTopics + " must be among the control "
                    + "topics " + controlTopics);
        }
        overrides = Map.copyOf(overrides);
        if (forwardedTopicPatterns.isEmpty()) {
            throw new IllegalArgumentException("nothing to forward: at least one topic pattern is needed");
        }
    }

    /** Site ids become topic prefixes at the centre; a dot would make them ambiguous there. */
    public static void requireSite(String site) {
        if (site == null || !SITE.matcher(site).matches()) {
            throw new IllegalArgumentException("--site must be 1-64 letters, digits, '_' or '-' (it prefixes the "
                    + "site's topics at the centre), got '" + site + "'");
        }
    }

    /**
     * What Sightline forwards: detections, dead letters, track lifecycle records and every {@code <prefix>.alerts*} topic a UDF writes;
     * snapshots (annotated or blurred frames) and raw frames only when asked for.
     */
    public static List<String> forwardedTopics(Topics topics, boolean snapshots, boolean frames) {
        List<String> patterns = new ArrayList<>();
        patterns.add(Pattern.quote(topics.detections()));
        patterns.add(Pattern.quote(topics.deadLetters()));
        patterns.add(Pattern.quote(topics.tracks()));
        patterns.add(Pattern.quote(topics.alerts()) + "(\\..*)?");
        if (snapshots) {
            patterns.add(Pattern.quote(topics.annotated()));
            patterns.add(Pattern.quote(topics.output("blurred")));
        }
        if (frames) {
            patterns.add(Pattern.quote(topics.frames()));
        }
        return patterns;
    }

    /** The control topics that come from the centre: UDF deployments and model activations. */
    public static List<String> controlTopics(Topics topics) {
        return List.of(topics.udfs(), topics.models());
    }

    /** Of the control topics, those in Avro: UDF deployments. Model activations are JSON. */
    public static List<String> avroControlTopics(Topics topics) {
        return List.of(topics.udfs());
    }

    public String remoteTopic(String edgeTopic) {
        return site + "." + edgeTopic;
    }
}
