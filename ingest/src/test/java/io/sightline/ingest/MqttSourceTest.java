package io.sightline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.avro.CameraReadings;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.Reading;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/** Against Debian's Mosquitto, the camera and sensors a Paho client publishing as devices do. */
class MqttSourceTest {

    private final RecordingSink recorder = new RecordingSink();
    private final List<Frame> frames = recorder.frames();
    private final List<String> rejections = recorder.rejections();
    private final List<CameraReadings> alone = new CopyOnWriteArrayList<>();

    @Test
    void framesGetTheReadingsOfTheirCameraAndReadingsWithoutFramesArePublishedAlone() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestAssets.image("solvay-1927.jpg"));
        try (var broker = MosquittoBroker.start()) {
            var source = new MqttSource(new MqttSourceConfig(URI.create(broker.url()), "cameras/+/#",
                    Optional.empty(), Duration.ofSeconds(1), 0, FrameLimits.defaults()), Clock.systemUTC());
            CompletableFuture<MqttReport> run = runInBackground(source, 0, Duration.ofSeconds(8));
            awaitConnected(source);

            try (var device = device(broker)) {
                device.publish("cameras/door/frame", jpeg, 1, false);
                device.publish("cameras/door/readings", json("{\"temperature\":{\"value\":21.5,\"unit\":\"C\"},"
                        + "\"motion\":true}"), 1, false);
                device.publish("cameras/attic/readings", json("{\"humidity\":40}"), 1, false);
                device.publish("cameras/door/frame", "not an image".getBytes(StandardCharsets.UTF_8), 1, false);
                device.publish("cameras/door/readings", json("{\"temperature\":\"warm\"}"), 1, false);
                device.disconnect();
            }
            MqttReport report = run.get(30, TimeUnit.SECONDS);

            System.out.println("mqtt: " + report);
            assertThat(frames).singleElement().satisfies(frame -> {
                assertThat(frame.getCameraId()).isEqualTo("door");
                assertThat(frame.getSource().getKind()).isEqualTo("mqtt");
                assertThat(frame.getWidth()).isEqualTo(960);
                assertThat(frame.getReadings()).extracting(Reading::getName, Reading::getValue, Reading::getUnit)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("temperature", 21.5, "C"),
                                org.assertj.core.groups.Tuple.tuple("motion", 1.0, null));
            });
            assertThat(alone).singleElement().satisfies(r -> {
                assertThat(r.getCameraId()).isEqualTo("attic");
                assertThat(r.getReadings()).extracting(Reading::getName).containsExactly("humidity");
            });
            assertThat(report.frames()).isEqualTo(1);
            assertThat(report.readingsAttached()).isEqualTo(1);
            assertThat(report.readingsAlone()).isEqualTo(1);
            assertThat(report.rejected()).containsEntry(DeadLetterReason.UNSUPPORTED_FORMAT, 2L);
            assertThat(rejections).hasSize(2).allSatisfy(r -> assertThat(r).startsWith("UNSUPPORTED_FORMAT"));
        }
    }

    @Test
    void anFpsLimitSkipsFramesOfTheSameCameraThatComeTooSoon() throws Exception {
        byte[] png = Files.readAllBytes(TestAssets.image("tf-mtcnn-test.jpg"));
        try (var broker = MosquittoBroker.start()) {
            var source = new MqttSource(new MqttSourceConfig(URI.create(broker.url()), "yard/frames",
                    Optional.of("yard"), Duration.ZERO, 1, FrameLimits.defaults()), Clock.systemUTC());
            CompletableFuture<MqttReport> run = runInBackground(source, 0, Duration.ofSeconds(4));
            awaitConnected(source);
            try (var device = device(broker)) {
                for (int i = 0; i < 5; i++) {
                    device.publish("yard/frames", png, 1, false);
                }
                device.disconnect();
            }
            MqttReport report = run.get(30, TimeUnit.SECONDS);

            assertThat(report.frames()).isEqualTo(1);
            assertThat(report.skippedOverFps()).isEqualTo(4);
            assertThat(frames).extracting(Frame::getCameraId).containsExactly("yard");
        }
    }

    @Test
    void aFilterWithoutACameraLevelIsRefusedUnlessACameraIsGiven() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MqttSourceConfig(URI.create("tcp://h:1883"),
                "frames", Optional.empty(), Duration.ZERO, 0, FrameLimits.defaults()))
                .hasMessageContaining("has no + level");
    }

    private CompletableFuture<MqttReport> runInBackground(MqttSource source, long maxFrames, Duration duration) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return source.run(recorder, alone::add, maxFrames, Optional.of(duration));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awaitConnected(MqttSource source) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!source.report().connected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(source.report().connected()).isTrue();
        Thread.sleep(200); // the subscription follows the connection
    }

    private static MqttClient device(MosquittoBroker broker) throws Exception {
        var client = new MqttClient(broker.url(), "device", new MemoryPersistence());
        client.connect();
        return client;
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
