package io.sightline.schemas;

import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.Box;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.FaceDetection;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.GeoPoint;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.Landmark;
import io.sightline.schemas.avro.ModelRef;
import io.sightline.schemas.avro.SensorReadings;
import io.sightline.schemas.avro.SourceInfo;
import io.sightline.schemas.avro.Timings;
import io.sightline.schemas.avro.UdfRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated record of each type, with every optional part set, for round-trip and interop tests. */
final class SampleRecords {
    static final Instant CAPTURED_AT = Instant.parse("2026-11-24T10:15:30.123Z");

    private SampleRecords() {
    }

    static Frame frame() {
        return Frame.newBuilder()
                .setCameraId("cam-lobby")
                .setFrameId("frame-000042")
                .setCapturedAt(CAPTURED_AT)
                .setEncoding(ImageEncoding.JPEG)
                .setWidth(960)
                .setHeight(661)
                .setPayload(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x7F}))
                .setSensors(SensorReadings.newBuilder()
                        .setTemperatureC(21.5)
                        .setGps(GeoPoint.newBuilder().setLatitude(50.8503).setLongitude(4.3517).setAltitudeM(13.0).build())
                        .setMotion(true)
                        .setExtra(Map.of("luxLevel", 320.0))
                        .build())
                .setSource(SourceInfo.newBuilder().setKind("directory").setUri("file:///frames/lobby").setSequence(42L).build())
                .build();
    }

    static DetectionEvent detectionEvent() {
        return DetectionEvent.newBuilder()
                .setEventId("evt-7f3a")
                .setCameraId("cam-lobby")
                .setFrameId("frame-000042")
                .setCapturedAt(CAPTURED_AT)
                .setProcessedAt(CAPTURED_AT.plusMillis(187))
                .setImageWidth(960)
                .setImageHeight(661)
                .setFaces(List.of(FaceDetection.newBuilder()
                        .setBox(Box.newBuilder().setX1(101.5f).setY1(40.25f).setX2(150.75f).setY2(110.0f).build())
                        .setScore(0.998f)
                        .setLandmarks(List.of(
                                landmark(115.5f, 66.0f), landmark(138.0f, 65.5f), landmark(127.25f, 80.0f),
                                landmark(117.0f, 95.5f), landmark(136.5f, 95.0f)))
                        .build()))
                .setModel(ModelRef.newBuilder().setName("mtcnn").setVersion("1")
                        .setSha256("f40d41e1d4d3aea5767078c1b1fc0666e354835b3956ffb6fcc835c981e58fb2").build())
                .setUdf(UdfRef.newBuilder().setName("face-detect").setVersion("0.1.0").setSha256("ab".repeat(32)).build())
                .setTimings(Timings.newBuilder().setDecodeMs(4.5).setUdfMs(0.75).setInferenceMs(176.25).setTotalMs(187.0).build())
                .build();
    }

    static AnnotatedFrame annotatedFrame() {
        return AnnotatedFrame.newBuilder()
                .setCameraId("cam-lobby")
                .setFrameId("frame-000042")
                .setCapturedAt(CAPTURED_AT)
                .setEventId("evt-7f3a")
                .setEncoding(ImageEncoding.PNG)
                .setWidth(2)
                .setHeight(1)
                .setImage(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setTopic("sightline.frames")
                .setPartition(3)
                .setOffset(123_456_789_012L)
                .setKey(ByteBuffer.wrap("cam-lobby".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setReasonCode("WIRE_FORMAT")
                .setMessage("magic byte is 0x01, expected 0x00")
                .setStage("deserialize")
                .setFailedAt(CAPTURED_AT.plusSeconds(1))
                .setCameraId("cam-lobby")
                .setFrameId(null)
                .build();
    }

    private static Landmark landmark(float x, float y) {
        return Landmark.newBuilder().setX(x).setY(y).build();
    }
}
