package io.sightline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.avro.CameraReadings;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.Reading;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which frame a reading lands on, with explicit times. */
class ReadingsAttacherTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    private final List<Frame> frames = new ArrayList<>();
    private final List<CameraReadings> alone = new ArrayList<>();
    private final ReadingsAttacher attacher = new ReadingsAttacher(Duration.ofSeconds(2), frames::add, alone::add);

    @Test
    void aReadingGoesToTheNearerOfTwoFrames() {
        attacher.frame(frame("door", "f0", 0));
        attacher.readings(message("door", "early", 300));
        attacher.readings(message("door", "late", 800));
        attacher.frame(frame("door", "f1", 1000));
        attacher.tick(at(3100));

        assertThat(frames).extracting(Frame::getFrameId).containsExactly("f0", "f1");
        assertThat(names(frames.get(0))).containsExactly("early");
        assertThat(names(frames.get(1))).containsExactly("late");
        assertThat(alone).isEmpty();
        assertThat(attacher.attached()).isEqualTo(2);
    }

    @Test
    void aReadingBeforeAnyFrameWaitsForOneWithinTheWindow() {
        attacher.readings(message("door", "before", 0));
        attacher.frame(frame("door", "f0", 1500));
        attacher.flush();

        assertThat(names(frames.get(0))).containsExactly("before");
    }

    @Test
    void readingsWithNoFrameWithinTheWindowArePublishedAlone() {
        attacher.readings(message("attic", "lonely", 0));
        attacher.frame(frame("door", "f0", 100)); // another camera
        attacher.tick(at(2100));

        assertThat(alone).extracting(CameraReadings::getCameraId).containsExactly("attic");
        assertThat(frames).isEmpty(); // held for the window
        attacher.tick(at(2200));
        assertThat(frames).extracting(Frame::getFrameId).containsExactly("f0");
        assertThat(frames.get(0).getReadings()).isEmpty();
    }

    @Test
    void aReadingOlderThanTheWindowAroundTheNewestFrameIsPublishedAlone() {
        attacher.frame(frame("door", "f0", 5000));
        attacher.readings(message("door", "stale", 1000));

        assertThat(alone).hasSize(1);
    }

    @Test
    void aZeroWindowPublishesFramesAtOnceAndEveryReadingAlone() {
        var now = new ReadingsAttacher(Duration.ZERO, frames::add, alone::add);
        now.frame(frame("door", "f0", 0));
        now.readings(message("door", "same time", 0));

        assertThat(frames).hasSize(1);
        assertThat(alone).hasSize(1);
    }

    @Test
    void waitingReadingsPerCameraAreBounded() {
        for (int i = 0; i < ReadingsAttacher.MAX_WAITING_MESSAGES + 10; i++) {
            attacher.readings(message("door", "r" + i, 0));
        }

        assertThat(alone).hasSize(10);
    }

    private static Frame frame(String camera, String id, long millis) {
        return Frame.newBuilder().setCameraId(camera).setFrameId(id).setCapturedAt(at(millis))
                .setEncoding(ImageEncoding.JPEG).setWidth(1).setHeight(1).setPayload(ByteBuffer.wrap(new byte[1]))
                .build();
    }

    private static ReadingsAttacher.Message message(String camera, String name, long millis) {
        return new ReadingsAttacher.Message(camera, at(millis), List.of(Reading.newBuilder().setName(name)
                .setValue(1).setAt(at(millis)).build()), "test");
    }

    private static List<String> names(Frame frame) {
        return frame.getReadings().stream().map(Reading::getName).toList();
    }

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }
}
