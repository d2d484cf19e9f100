package io.sightline.stream;

import io.sightline.schemas.SightlineSerdes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.ConfluentAvroDeserializer;
import io.sightline.schemas.ConfluentAvroSerializer;
import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SerdeType;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.TrackEvent;
import io.sightline.schemas.avro.TrackEventKind;
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfRuntime;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The product topology with the real Wasm UDF, real TensorFlow and a real registry, driven without a broker. */
class SightlineTopologyTest {

    private static final Topics TOPICS = Topics.withPrefix("test");
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Instant CAPTURED = Instant.parse("2026-11-24T11:59:59.500Z");

    private static ModelStore models;
    private static UdfRuntime udfs;
    private static EmbeddedSchemaRegistry registry;
    private static byte[] solvay;
    private static byte[] group;

    private TopologyTestDriver driver;
    private TestInputTopic<String, Frame> frames;
    private TestInputTopic<String, byte[]> rawFrames;
    private TestOutputTopic<String, DetectionEvent> detections;
    private TestOutputTopic<String, AnnotatedFrame> annotated;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private SchemaRegistryClient client;

    @BeforeAll
    static void startRuntime() throws Exception {
        Path assets = Path.of(System.getProperty("sightline.assets", "../../shared"));
        if (!Files.isRegularFile(assets.resolve("models/mtcnn/mtcnn.pb"))) {
            fail("asset dir " + assets + " has no models/mtcnn/mtcnn.pb: put the shared assets there or set -Dsightline.assets=DIR");
        }
        solvay = Files.readAllBytes(assets.resolve("images/solvay-1927.jpg"));
        group = Files.readAllBytes(assets.resolve("images/tf-mtcnn-test.jpg"));
        models = ModelStore.open(ModelStoreConfig.fromEnvironment(assets));
        udfs = UdfRuntime.faceAnnotate(models.faceDetector(), UdfConfig.defaults());
        registry = EmbeddedSchemaRegistry.start(0);
    }

    @AfterAll
    static void stopRuntime() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (udfs != null) {
            udfs.close();
        }
        if (models != null) {
            models.close();
        }
    }

    @BeforeEach
    void startDriver() {
        client = SchemaRegistryClient.forUrls(registry.url().toString());
        var serdes = new TopologySerdes(new ConfluentAvroDeserializer<>(client, Frame.class), serializer(DetectionEvent.class),
                serializer(AnnotatedFrame.class), serializer(DeadLetter.class),
                serializer(UdfOutputRecord.class), SightlineSerdes.value(DetectionEvent.class, client),
                serializer(TrackEvent.class));
        Topology topology = SightlineTopology.build(TOPICS, serdes, udfs, FrameLimits.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props);
        frames = driver.createInputTopic(TOPICS.frames(), new StringSerializer(), serializer(Frame.class));
        rawFrames = driver.createInputTopic(TOPICS.frames(), new StringSerializer(), new ByteArraySerializer());
        var strings = new StringDeserializer();
        detections = driver.createOutputTopic(TOPICS.detections(), strings, new ConfluentAvroDeserializer<>(client, DetectionEvent.class));
        annotated = driver.createOutputTopic(TOPICS.annotated(), strings, new ConfluentAvroDeserializer<>(client, AnnotatedFrame.class));
        deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), strings, new ConfluentAvroDeserializer<>(client, DeadLetter.class));
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void turnsSolvayFrameIntoOneEventWith29DistinctFacesAndAnAnnotatedPng() throws Exception {
        frames.pipeInput(new TestRecord<>("gate", frame("gate", "solvay", ImageEncoding.JPEG, 960, 661, solvay), CAPTURED));

        TestRecord<String, DetectionEvent> record = detections.readRecord();
        DetectionEvent event = record.value();
        assertThat(record.key()).isEqualTo("gate");
        assertThat(record.timestamp()).isEqualTo(CAPTURED.toEpochMilli());
        assertThat(event.getFaces()).hasSize(29);
        assertThat(event.getFaces()).allSatisfy(face -> {
            assertThat(face.getBox().getX1()).isBetween(0f, face.getBox().getX2());
            assertThat(face.getBox().getX2()).isLessThanOrEqualTo(960f);
            assertThat(face.getBox().getY2()).isLessThanOrEqualTo(661f);
            assertThat(face.getLandmarks()).hasSize(5);
        });
        assertThat(event.getImageWidth()).isEqualTo(960);
        assertThat(event.getCapturedAt()).isEqualTo(CAPTURED);
        assertThat(event.getProcessedAt()).isEqualTo(NOW);
        assertThat(event.getModel().getSha256()).isEqualTo(models.faceDetector().model().sha256());
        assertThat(event.getUdf().getName()).isEqualTo("face-annotate");
        assertThat(event.getEventId()).isEqualTo(FrameMapping.eventId("gate", "solvay", models.faceDetector().model()));
        assertThat(event.getTimings().getInferenceMs()).isPositive();

        AnnotatedFrame image = annotated.readValue();
        assertThat(image.getEventId()).isEqualTo(event.getEventId());
        BufferedImage png = decode(image.getImage());
        assertThat(png.getWidth()).isEqualTo(960);
        assertThat(png.getHeight()).isEqualTo(661);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void processesFramesCapturedFarFromTheirWriteTimeAndFlagsTheirEventsWithTheSkew() {
        Instant written = CAPTURED;
        Frame threeHoursAhead = Frame.newBuilder(frame("lobby", "ahead", ImageEncoding.PNG, 498, 310, group))
                .setCapturedAt(written.plus(Duration.ofHours(3))).build();
        Frame yearOld = Frame.newBuilder(frame("lobby", "archive", ImageEncoding.PNG, 498, 310, group))
                .setCapturedAt(written.minus(Duration.ofDays(365))).build();
        Frame live = Frame.newBuilder(frame("lobby", "live", ImageEncoding.PNG, 498, 310, group))
                .setCapturedAt(written.minusSeconds(2)).build();
        for (Frame frame : List.of(threeHoursAhead, yearOld, live)) {
            frames.pipeInput(new TestRecord<>("lobby", frame, written));
        }

        List<DetectionEvent> events = detections.readValuesToList();
        assertThat(events).extracting(DetectionEvent::getFrameId).containsExactly("ahead", "archive", "live");
        assertThat(events).allSatisfy(event -> assertThat(event.getFaces()).hasSize(6));
        assertThat(events).extracting(DetectionEvent::getClockSkew).containsExactly(3 * 3600L, -365 * 86400L, null);
        assertThat(annotated.readValuesToList()).extracting(AnnotatedFrame::getClockSkew)
                .containsExactly(3 * 3600L, -365 * 86400L, null);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void everyFaceKeepsItsTrackIdFromFrameToFrameAndEachCameraHasItsOwnTracks() {
        List<String> cameras = List.of("lobby", "door", "lobby", "lobby", "door");
        for (int i = 0; i < cameras.size(); i++) {
            Frame frame = Frame.newBuilder(frame(cameras.get(i), "f" + i, ImageEncoding.PNG, 498, 310, group))
                    .setCapturedAt(CAPTURED.plusMillis(200L * i)).build();
            frames.pipeInput(new TestRecord<>(cameras.get(i), frame, CAPTURED));
        }

        List<DetectionEvent> events = detections.readValuesToList();
        assertThat(events).extracting(DetectionEvent::getFrameId).containsExactlyInAnyOrder("f0", "f1", "f2", "f3", "f4");
        var idsByCamera = new java.util.HashMap<String, List<List<Long>>>();
        for (DetectionEvent event : events) {
            List<Long> ids = event.getFaces().stream().map(face -> face.getTrackId()).toList();
            assertThat(ids).hasSize(6).doesNotContainNull().doesNotHaveDuplicates();
            idsByCamera.computeIfAbsent(event.getCameraId(), ignored -> new java.util.ArrayList<>()).add(ids);
        }
        // Each camera's ids come from its first frame: capture time in ms × 1000 + rank, left to right.
        long lobbyFirst = CAPTURED.toEpochMilli() * 1000;
        long doorFirst = CAPTURED.plusMillis(200).toEpochMilli() * 1000;
        assertThat(idsByCamera.get("lobby")).hasSize(3).allSatisfy(ids -> assertThat(ids)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.range(lobbyFirst, lobbyFirst + 6)
                        .boxed().toList()));
        assertThat(idsByCamera.get("door")).hasSize(2).allSatisfy(ids -> assertThat(ids)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.range(doorFirst, doorFirst + 6)
                        .boxed().toList()));
        // The same face has the same id in every frame (faces come in the detector's order, the same each time).
        assertThat(idsByCamera.get("lobby")).containsOnly(idsByCamera.get("lobby").get(0));
    }

    @Test
    void eachTrackStartsOnceAndEndsOnceWhenItsCameraShowsNoFaceForTheMissTime() throws Exception {
        var tracks = driver.createOutputTopic(TOPICS.tracks(), new StringDeserializer(),
                new ConfluentAvroDeserializer<>(client, TrackEvent.class));
        byte[] empty = png(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB));
        for (int i = 0; i < 3; i++) {
            frames.pipeInput(new TestRecord<>("lobby", Frame.newBuilder(frame("lobby", "g" + i, ImageEncoding.PNG, 498,
                    310, group)).setCapturedAt(CAPTURED.plusMillis(200L * i)).build(), CAPTURED));
        }
        // Nobody for a second: the tracks live on (their miss time is 1.5 s); after two seconds they end.
        for (long after : new long[] {1_400, 2_400}) {
            frames.pipeInput(new TestRecord<>("lobby", Frame.newBuilder(frame("lobby", "empty-" + after,
                    ImageEncoding.PNG, 64, 48, empty)).setCapturedAt(CAPTURED.plusMillis(after)).build(), CAPTURED));
        }

        List<DetectionEvent> events = detections.readValuesToList();
        assertThat(events).hasSize(5);
        List<TrackEvent> lifecycle = tracks.readValuesToList();
        assertThat(lifecycle).filteredOn(t -> t.getKind() == TrackEventKind.STARTED).hasSize(6)
                .allSatisfy(started -> {
                    assertThat(started.getFirstSeen()).isEqualTo(CAPTURED);
                    assertThat(started.getFrames()).isEqualTo(1);
                });
        List<TrackEvent> ended = lifecycle.stream().filter(t -> t.getKind() == TrackEventKind.ENDED).toList();
        assertThat(ended).hasSize(6).allSatisfy(track -> {
            assertThat(track.getCameraId()).isEqualTo("lobby");
            assertThat(track.getFrames()).isEqualTo(3);
            assertThat(track.getLastSeen()).isEqualTo(CAPTURED.plusMillis(400));
            assertThat(track.getDwellMs()).isEqualTo(400);
            assertThat(track.getBestEventId()).isIn(events.stream().map(DetectionEvent::getEventId).toList());
        });
        assertThat(ended).extracting(TrackEvent::getTrackId).containsExactlyInAnyOrderElementsOf(
                events.get(0).getFaces().stream().map(face -> face.getTrackId()).toList());
    }

    @Test
    void readsPngContentAndFindsSixFaces() {
        frames.pipeInput("lobby", frame("lobby", "group", ImageEncoding.PNG, 498, 310, group));

        assertThat(detections.readValue().getFaces()).hasSize(6);
    }

    @Test
    void sendsTruncatedJpegToDeadLetterTopicWithDecodeReasonAndKeepsProcessing() {
        byte[] truncated = Arrays.copyOf(solvay, solvay.length / 2);
        frames.pipeInput("gate", frame("gate", "broken", ImageEncoding.JPEG, 960, 661, truncated));
        frames.pipeInput("gate", frame("gate", "next", ImageEncoding.PNG, 498, 310, group));

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getReasonCode()).isEqualTo("IMAGE_DECODE");
        assertThat(letter.getStage()).isEqualTo("decode");
        assertThat(letter.getFrameId()).isEqualTo("broken");
        assertThat(letter.getTopic()).isEqualTo(TOPICS.frames());
        assertThat(letter.getOffset()).isZero();
        Frame original = new ConfluentAvroDeserializer<>(client, Frame.class).deserialize(TOPICS.frames(), bytes(letter.getValue()));
        assertThat(bytes(original.getPayload())).isEqualTo(truncated);
        assertThat(detections.readValue().getFrameId()).isEqualTo("next");
    }

    @Test
    void sendsBytesThatAreNotAFrameToDeadLetterTopicUnchanged() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        rawFrames.pipeInput("gate", garbage);

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getReasonCode()).isEqualTo("WIRE_FORMAT");
        assertThat(letter.getMessage()).contains("BAD_MAGIC");
        assertThat(letter.getUdf()).as("no UDF ran on bytes that are not a frame").isNull();
        assertThat(bytes(letter.getValue())).isEqualTo(garbage);
        assertThat(bytes(letter.getKey())).isEqualTo("gate".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyInputLeavesAsExactlyOneEventOrDeadLetter() {
        byte[] notAnImage = "GIF89a pretending".getBytes(StandardCharsets.US_ASCII);
        frames.pipeInput("a", frame("a", "1", ImageEncoding.PNG, 498, 310, group));
        frames.pipeInput("a", frame("a", "2", ImageEncoding.JPEG, 10, 10, notAnImage));
        rawFrames.pipeInput("a", new byte[] {0, 0, 0});
        frames.pipeInput("a", frame("a", "4", ImageEncoding.RGB24, 2, 2, new byte[5]));
        frames.pipeInput("a", frame("a", "5", ImageEncoding.PNG, 498, 310, group));

        int events = detections.readValuesToList().size();
        var letters = deadLetters.readValuesToList();
        assertThat(events + letters.size()).isEqualTo(5);
        assertThat(events).isEqualTo(2);
        assertThat(letters).extracting(DeadLetter::getReasonCode)
                .containsExactly("IMAGE_DECODE", "WIRE_FORMAT", "IMAGE_SIZE_MISMATCH");
        assertThat(annotated.readValuesToList()).hasSize(events);
    }

    @Test
    void topologyShapeMatchesApprovedDescription() throws Exception {
        var serdes = new TopologySerdes(null, null, null, null, null, null, null);
        String described = SightlineTopology.build(TOPICS, serdes, udfs, FrameLimits.defaults(), Clock.systemUTC()).describe().toString();
        if (Boolean.getBoolean("sightline.approve")) {
            java.nio.file.Files.writeString(java.nio.file.Path.of("src/test/resources/topology.approved.txt"),
                    described.strip() + "\n");
        }
        String approved = new String(getClass().getResourceAsStream("/topology.approved.txt").readAllBytes(),
                StandardCharsets.UTF_8);

        assertThat(described.strip()).isEqualTo(approved.strip());
    }

    private <T extends SpecificRecord> ConfluentAvroSerializer<T> serializer(Class<T> type) {
        return new ConfluentAvroSerializer<>(client, type, SerdeType.VALUE);
    }

    private static Frame frame(String camera, String id, ImageEncoding encoding, int w, int h, byte[] payload) {
        return Frame.newBuilder().setCameraId(camera).setFrameId(id).setCapturedAt(CAPTURED).setEncoding(encoding)
                .setWidth(w).setHeight(h).setPayload(ByteBuffer.wrap(payload)).build();
    }

    private static byte[] png(BufferedImage image) throws java.io.IOException {
        var out = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static BufferedImage decode(ByteBuffer png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(bytes(png)));
    }
}
