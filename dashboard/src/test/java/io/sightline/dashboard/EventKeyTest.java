package io.sightline.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** The events store keeps keys in byte order: that order must be camera, then capture time, also before 1970. */
class EventKeyTest {

    private static final Instant[] TIMES = {
        Instant.parse("1927-10-29T10:00:00Z"), Instant.parse("1969-12-31T23:59:59.999Z"), Instant.EPOCH,
        Instant.parse("2026-12-01T10:15:30Z"), Instant.parse("2026-12-01T10:15:30.001Z")};

    @Test
    void keysSortByCameraThenCaptureTimeInByteOrder() {
        List<Bytes> keys = new ArrayList<>();
        for (String camera : List.of("cam", "cam2", "lobby")) {
            for (Instant t : TIMES) {
                keys.add(bytes(EventKey.of(camera, t, "e")));
            }
        }
        List<Bytes> shuffled = new ArrayList<>(keys);
        java.util.Collections.reverse(shuffled);
        shuffled.sort(Bytes::compareTo);
        assertThat(shuffled).containsExactlyElementsOf(keys);
        assertThat(EventKey.cameraOf(EventKey.of("lobby", TIMES[0], "e"))).isEqualTo("lobby");
    }

    @Test
    void aTimeRangeOfOneCameraIsOneKeyRangeIncludingBothEnds() {
        Instant from = TIMES[1];
        Instant to = TIMES[3];
        Bytes low = bytes(EventKey.lowest("cam", from));
        Bytes high = bytes(EventKey.highest("cam", to));
        List<String> inside = new ArrayList<>();
        for (String camera : List.of("cam", "cam2", "ca")) {
            for (Instant t : TIMES) {
                Bytes key = bytes(EventKey.of(camera, t, "some-event-id"));
                if (key.compareTo(low) >= 0 && key.compareTo(high) <= 0) {
                    inside.add(camera + "@" + t);
                }
            }
        }
        assertThat(inside).containsExactly("cam@" + TIMES[1], "cam@" + TIMES[2], "cam@" + TIMES[3]);
    }

    private static Bytes bytes(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }
}
