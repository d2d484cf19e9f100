package io.sightline.stream;

import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.TrackEvent;
import io.sightline.schemas.avro.UdfOutputRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value (de)serializers the topology needs. Frames are read as raw bytes and decoded inside the processor, so a
 * record that does not decode becomes a dead letter carrying its original bytes.
 *
 * @param events events on their way between the topology's own stages (from a spread frame's detection to its
 *               camera's order): neither metered nor published as they are, only once they are put in order
 * @param tracks track lifecycle records (started, ended)
 */
public record TopologySerdes(
        Deserializer<Frame> frames,
        Serializer<DetectionEvent> detections,
        Serializer<AnnotatedFrame> annotated,
        Serializer<DeadLetter> deadLetters,
        Serializer<UdfOutputRecord> outputs,
        Serde<DetectionEvent> events,
        Serializer<TrackEvent> tracks) {

    public static TopologySerdes from(SightlineSerdes serdes) {
        return new TopologySerdes(serdes.deserializer(Frame.class), serdes.serializer(DetectionEvent.class),
                serdes.serializer(AnnotatedFrame.class), serdes.serializer(DeadLetter.class),
                serdes.serializer(UdfOutputRecord.class),
                Serdes.serdeFrom(serdes.serializer(DetectionEvent.class), serdes.deserializer(DetectionEvent.class)),
                serdes.serializer(TrackEvent.class));
    }
}
