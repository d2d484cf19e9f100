package io.sightline.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.sightline.metrics.ProcessorMeters;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The processor's meters ({@link ProcessorMeters}) taken where records cross the topology's edge: the topology's
 * serdes are wrapped, so the topology itself is unchanged.
 */
public final class ProcessorMetrics {

    private ProcessorMetrics() {}

    public static TopologySerdes metered(TopologySerdes serdes, MeterRegistry registry) {
        var meters = new ProcessorMeters(registry);
        Deserializer<Frame> frames = serdes.frames();
        Serializer<DetectionEvent> detections = serdes.detections();
        Serializer<DeadLetter> deadLetters = serdes.deadLetters();
        return new TopologySerdes(
                (topic, bytes) -> {
                    meters.frameIn();
                    return frames.deserialize(topic, bytes);
                },
                (topic, event) -> {
                    meters.event(event);
                    return detections.serialize(topic, event);
                },
                serdes.annotated(),
                (topic, letter) -> {
                    meters.deadLetter(letter);
                    return deadLetters.serialize(topic, letter);
                },
                serdes.outputs(),
                serdes.events(),
                serdes.tracks());
    }
}
