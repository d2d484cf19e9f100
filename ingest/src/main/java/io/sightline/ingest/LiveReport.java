package io.sightline.ingest;

import io.sightline.schemas.DeadLetterReason;
import java.time.Duration;
import java.util.Map;

/**
 * What a live source did so far.
 *
 * @param published      frames handed to the sink
 * @param unsent         frames the sink could not take because Kafka or the registry was unavailable
 * @param skippedStale   frames replaced by a newer one while the sink was busy (latest frame wins)
 * @param skippedOverFps frames dropped by the fps limit
 * @param rejected       parts sent to the dead-letter topic, by reason
 * @param reconnects     times the stream was opened again after it was lost
 * @param gap            time without frames while the stream was lost
 * @param streaming      whether frames are coming in now
 */
public record LiveReport(long published, long unsent, long skippedStale, long skippedOverFps,
        Map<DeadLetterReason, Long> rejected, long reconnects, Duration gap, boolean streaming) {

    public LiveReport {
        rejected = Map.copyOf(rejected);
    }

    public long skipped() {
        return skippedStale + skippedOverFps;
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
}
