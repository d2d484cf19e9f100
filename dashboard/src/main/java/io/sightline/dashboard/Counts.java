package io.sightline.dashboard;

import io.sightline.schemas.avro.DetectionEvent;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Events and faces of one camera in one window. */
record Counts(long events, long faces) {

    static final Counts ZERO = new Counts(0, 0);

    Counts add(DetectionEvent event) {
        return new Counts(events + 1, faces + event.getFaces().size());
    }

    Counts plus(Counts other) {
        return new Counts(events + other.events, faces + other.faces);
    }

    /** Two longs; the stores' changelogs hold this form. */
    static Serde<Counts> serde() {
        return Serdes.serdeFrom(
                (topic, counts) -> counts == null ? null
                        : ByteBuffer.allocate(16).putLong(counts.events).putLong(counts.faces).array(),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    return new Counts(buffer.getLong(), buffer.getLong());
                });
    }
}
