package io.sightline.ingest;

import io.sightline.schemas.DeadLetterReason;
import java.util.Map;

/**
 * What an MQTT source did so far.
 *
 * @param frames           frames handed to the sink
 * @param readingsAttached reading messages attached to a frame
 * @param readingsAlone    reading messages published on their own (no frame of the camera within the window)
 * @param skippedOverFps   frames dropped by the fps limit
 * @param unsent           messages lost because Kafka or the registry did not take them
 * @param rejected         messages sent to the dead-letter topic, by reason
 * @param reconnects       times the connection to the broker was made again after it was lost
 * @param connected        whether the broker connection is up now
 */
public record MqttReport(long frames, long readingsAttached, long readingsAlone, long skippedOverFps,
        long unsent, Map<DeadLetterReason, Long> rejected, long reconnects, boolean connected) {

    public MqttReport {
        rejected = Map.copyOf(rejected);
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
}
