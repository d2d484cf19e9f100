package io.sightline.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.AnnotatedImageStatus;
import io.sightline.schemas.avro.Box;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.FaceDetection;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.schemas.avro.ModelRef;
import io.sightline.schemas.avro.Timings;
import io.sightline.schemas.avro.UdfRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's topology under {@link TopologyTestDriver} with explicit times: events indexed per camera by capture
 * time and trimmed to the newest N, counts per camera in processing-time windows, and the stats topic's JSON.
 */
class DashboardTopologyTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:05Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DashboardConfig config = new DashboardConfig("unused:9092", "http://unused", Topics.withPrefix("t"),
            "t.alerts", "t.stats", "127.0.0.1", 0, null, "dashboard-test", "processor", 3, 1 << 20, Map.of());

    @Test
    void indexesEventsPerCameraByCaptureTimeAndKeepsTheNewestN() {
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, DetectionEvent> detections = input(driver);
            for (int i = 0; i < 5; i++) {
                // Captured in reverse order: the index orders by capture time, not arrival.
                detections.pipeInput("lobby", event("lobby", "f" + i, T0.minusSeconds(10L * i), T0.plusSeconds(i), 2));
            }
            detections.pipeInput("door", event("door", "d0", Instant.parse("1927-10-29T10:00:00Z"), T0, 1));

            KeyValueStore<String, String> events = driver.getKeyValueStore(DashboardTopology.EVENTS_STORE);
            assertThat(frames(events, "lobby")).containsExactly("f4", "f3", "f2", "f1", "f0");
            assertThat(frames(events, "door")).containsExactly("d0");

            driver.advanceWallClockTime(Duration.ofSeconds(31));
            assertThat(frames(events, "lobby")).as("the newest 3 by capture time").containsExactly("f2", "f1", "f0");
            assertThat(frames(events, "door")).containsExactly("d0");
        }
    }

    @Test
    void countsEventsAndFacesPerCameraInProcessingTimeWindowsAndPublishesThem() throws Exception {
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, DetectionEvent> detections = input(driver);
            Instant old = Instant.parse("1927-10-29T10:00:00Z"); // capture time plays no part in the windows
            detections.pipeInput("lobby", event("lobby", "a", old, T0, 29));
            detections.pipeInput("lobby", event("lobby", "b", old, T0.plusSeconds(20), 1));
            detections.pipeInput("lobby", event("lobby", "c", old, T0.plusSeconds(70), 4));
            detections.pipeInput("door", event("door", "d", old, T0.plusSeconds(1), 6));

            WindowStore<String, ValueAndTimestamp<Counts>> minutes =
                    driver.getTimestampedWindowStore(DashboardTopology.MINUTE_STORE);
            List<String> perMinute = new ArrayList<>();
            try (WindowStoreIterator<ValueAndTimestamp<Counts>> it =
                    minutes.fetch("lobby", T0.minusSeconds(3600), T0.plusSeconds(3600))) {
                it.forEachRemaining(w -> perMinute.add(Instant.ofEpochMilli(w.key) + "=" + w.value.value()));
            }
            assertThat(perMinute).containsExactly(
                    "2026-12-01T10:00:00Z=Counts[events=2, faces=30]", "2026-12-01T10:01:00Z=Counts[events=1, faces=4]");
            WindowStore<String, ValueAndTimestamp<Counts>> hours =
                    driver.getTimestampedWindowStore(DashboardTopology.HOUR_STORE);
            assertThat(hours.fetch("lobby", Instant.parse("2026-12-01T10:00:00Z").toEpochMilli()).value())
                    .isEqualTo(new Counts(3, 34));

            TestOutputTopic<String, String> stats = driver.createOutputTopic("t.stats",
                    Serdes.String().deserializer(), Serdes.String().deserializer());
            List<KeyValue<String, String>> published = stats.readKeyValuesToList();
            JsonNode lastLobbyHour = null;
            for (KeyValue<String, String> record : published) {
                JsonNode stat = JSON.readTree(record.value);
                assertThat(stat.get("cameraId").asText()).isEqualTo(record.key);
                if (record.key.equals("lobby") && stat.get("window").asText().equals("1h")) {
                    lastLobbyHour = stat;
                }
            }
            assertThat(lastLobbyHour).isNotNull();
            assertThat(lastLobbyHour.get("windowStart").asText()).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(lastLobbyHour.get("windowEnd").asText()).isEqualTo("2026-12-01T11:00:00Z");
            assertThat(lastLobbyHour.get("events").asLong()).isEqualTo(3);
            assertThat(lastLobbyHour.get("faces").asLong()).isEqualTo(34);
        }
    }

    @Test
    void countsTheProcessorsZoneAndLineRecordsPerCameraAndWindowAndNothingElseOnTheAlertsTopic() throws Exception {
        try (TopologyTestDriver driver = driver()) {
            var alerts = driver.createInputTopic(config.alertsTopic(), Serdes.String().serializer(),
                    avro(UdfOutputRecord.class).serializer());
            Instant t = Instant.parse("2026-12-01T10:15:10Z");
            for (String json : List.of("{\"kind\":\"line-cross\",\"line\":\"door\",\"direction\":\"left-to-right\"}",
                    "{\"kind\":\"line-cross\",\"line\":\"door\",\"direction\":\"left-to-right\"}",
                    "{\"kind\":\"line-cross\",\"line\":\"door\",\"direction\":\"right-to-left\"}",
                    "{\"kind\":\"zone-enter\",\"zone\":\"counter\"}", "{\"kind\":\"loiter\",\"zone\":\"counter\"}")) {
                alerts.pipeInput("lobby", output("zones", json), t);
            }
            alerts.pipeInput("lobby", output("crowd-alert", "{\"faces\":6}"), t);
            alerts.pipeInput("lobby", output("zones", "{\"kind\":\"zone-enter\",\"zone\":\"counter\"}"), t.plusSeconds(60));

            WindowStore<String, String> minutes = driver.getWindowStore(DashboardTopology.ZONES_MINUTE_STORE);
            assertThat(JSON.readTree(minutes.fetch("lobby", Instant.parse("2026-12-01T10:15:00Z").toEpochMilli())))
                    .isEqualTo(JSON.readTree("{\"counter\":{\"enter\":1,\"loiter\":1},"
                            + "\"door\":{\"left-to-right\":2,\"right-to-left\":1}}"));
            WindowStore<String, String> hours = driver.getWindowStore(DashboardTopology.ZONES_HOUR_STORE);
            assertThat(JSON.readTree(hours.fetch("lobby", Instant.parse("2026-12-01T10:00:00Z").toEpochMilli()))
                    .at("/counter/enter").asLong()).isEqualTo(2);
        }
    }

    private static UdfOutputRecord output(String maker, String json) {
        return UdfOutputRecord.newBuilder().setEventId("e").setCameraId("lobby").setFrameId("f").setCapturedAt(T0)
                .setOutput("alerts").setContentType("application/json")
                .setPayload(ByteBuffer.wrap(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setUdf(io.sightline.schemas.avro.UdfRef.newBuilder().setName(maker).setVersion("1").setSha256("x")
                        .build())
                .build();
    }

    @Test
    void keepsTheNewestAnnotatedFramesPerCameraForAnHourUnderTheirEventIds() {
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, AnnotatedFrame> annotated = driver.createInputTopic("t.annotated",
                    Serdes.String().serializer(), avro(AnnotatedFrame.class).serializer());
            int sent = DashboardTopology.SNAPSHOTS_PER_CAMERA + 5;
            for (int i = 0; i < sent; i++) {
                annotated.pipeInput("lobby", frame("lobby", "e" + i));
                driver.advanceWallClockTime(Duration.ofMillis(1));
            }
            annotated.pipeInput("door", frame("door", "d0"));

            KeyValueStore<String, byte[]> recent = driver.getKeyValueStore(DashboardTopology.RECENT_SNAPSHOTS_STORE);
            List<String> lobby = eventIds(recent, "lobby");
            assertThat(lobby).hasSize(DashboardTopology.SNAPSHOTS_PER_CAMERA).startsWith("e5").endsWith("e24");
            assertThat(eventIds(recent, "door")).containsExactly("d0");
            byte[] newest = recent.get(lobbyKeys(recent).get(lobby.size() - 1));
            assertThat(avro(AnnotatedFrame.class).deserializer().deserialize("t.annotated", newest).getFrameId())
                    .isEqualTo("frame-e24");

            driver.advanceWallClockTime(DashboardTopology.SNAPSHOT_RETENTION.minusMinutes(1));
            annotated.pipeInput("door", frame("door", "d1"));
            driver.advanceWallClockTime(Duration.ofMinutes(2));
            assertThat(eventIds(recent, "lobby")).as("older than the retention").isEmpty();
            assertThat(eventIds(recent, "door")).containsExactly("d1");
        }
    }

    private static List<String> lobbyKeys(KeyValueStore<String, byte[]> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(SnapshotKey.prefix("lobby"),
                Serdes.String().serializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    private static List<String> eventIds(KeyValueStore<String, byte[]> store, String camera) {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(SnapshotKey.prefix(camera),
                Serdes.String().serializer())) {
            it.forEachRemaining(kv -> ids.add(SnapshotKey.eventIdOf(kv.key)));
        }
        return ids; // oldest first
    }

    private static AnnotatedFrame frame(String camera, String eventId) {
        return AnnotatedFrame.newBuilder().setCameraId(camera).setFrameId("frame-" + eventId).setEventId(eventId)
                .setCapturedAt(T0).setEncoding(ImageEncoding.PNG).setWidth(1).setHeight(1)
                .setImage(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).build();
    }

    private TopologyTestDriver driver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dashboard-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        return new TopologyTestDriver(DashboardTopology.build(config, avro(DetectionEvent.class),
                avro(AnnotatedFrame.class).deserializer(), avro(UdfOutputRecord.class).deserializer(), props), props);
    }

    private static TestInputTopic<String, DetectionEvent> input(TopologyTestDriver driver) {
        return driver.createInputTopic("t.detections", Serdes.String().serializer(), avro(DetectionEvent.class).serializer());
    }

    private static List<String> frames(KeyValueStore<String, String> store, String camera) {
        List<String> frames = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.range(EventKey.lowest(camera, Instant.ofEpochMilli(Long.MIN_VALUE / 2)),
                EventKey.highest(camera, Instant.ofEpochMilli(Long.MAX_VALUE / 2)))) {
            it.forEachRemaining(kv -> {
                try {
                    frames.add(JSON.readTree(kv.value).get("frameId").asText());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return frames; // oldest capture first
    }

    private static DetectionEvent event(String camera, String frame, Instant capturedAt, Instant processedAt, int faces) {
        List<FaceDetection> found = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            found.add(new FaceDetection(new Box(1f, 2f, 3f, 4f), 0.9f, List.of(), null));
        }
        return DetectionEvent.newBuilder().setEventId(camera + "-" + frame).setCameraId(camera).setFrameId(frame)
                .setCapturedAt(capturedAt).setProcessedAt(processedAt).setImageWidth(10).setImageHeight(10)
                .setFaces(found).setModel(new ModelRef("mtcnn", "1", "0")).setUdf(new UdfRef("u", "1", "0"))
                .setTimings(new Timings(1.0, 1.0, 1.0, 3.0, 1)).setAnnotated(AnnotatedImageStatus.NONE).build();
    }

    /** Plain Avro binary: the topology takes any serde for events; the registry's wire format is tested end to end. */
    private static <T> Serde<T> avro(Class<T> type) {
        var writer = new SpecificDatumWriter<>(type);
        var reader = new SpecificDatumReader<>(type);
        return Serdes.serdeFrom((topic, event) -> {
            var out = new ByteArrayOutputStream();
            var encoder = EncoderFactory.get().binaryEncoder(out, null);
            try {
                writer.write(event, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }, (topic, bytes) -> {
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
