package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfDeployment;
import io.sightline.udf.UdfRuntime;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hot swap inside the product topology: frames before a switch run on version A, every frame after it on version B,
 * each frame is one event, and the replaced runtime is closed once no processor uses it.
 */
class HotSwapTest {

    private static final Topics TOPICS = Topics.withPrefix("swap");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static EmbeddedSchemaRegistry registry;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start(0);
        client = SchemaRegistryClient.forUrls(registry.url().toString());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void framesAfterASwitchCarryTheNewVersionAndSha256WithNoFrameLostOrRepeated() throws Exception {
        byte[] faceAnnotate = faceAnnotateWasm();
        UdfRuntime versionA = UdfRuntime.load(UdfDeployment.of("face-annotate", "a", faceAnnotate), new NoFaces(),
                UdfConfig.defaults());
        UdfRuntime versionB = UdfRuntime.load(UdfDeployment.of("face-annotate", "b",
                withCustomSection(faceAnnotate, "sightline-test", "b")), new NoFaces(), UdfConfig.defaults());
        assertThat(versionB.info().sha256()).isNotEqualTo(versionA.info().sha256());
        try (ActiveUdf active = new ActiveUdf(versionA); TopologyTestDriver driver = driver(active)) {
            TestInputTopic<String, Frame> frames = driver.createInputTopic(TOPICS.frames(), new StringSerializer(),
                    serializer(Frame.class));
            TestOutputTopic<String, DetectionEvent> detections = driver.createOutputTopic(TOPICS.detections(),
                    new StringDeserializer(), new ConfluentAvroDeserializer<>(client, DetectionEvent.class));
            TestOutputTopic<String, DeadLetter> deadLetters = driver.createOutputTopic(TOPICS.deadLetters(),
                    new StringDeserializer(), new ConfluentAvroDeserializer<>(client, DeadLetter.class));

            for (int i = 0; i < 3; i++) {
                frames.pipeInput("cam", frame("before-" + i));
            }
            active.switchTo(versionB);
            for (int i = 0; i < 3; i++) {
                frames.pipeInput("cam", frame("after-" + i));
            }

            List<DetectionEvent> events = detections.readValuesToList();
            assertThat(events).extracting(DetectionEvent::getFrameId)
                    .containsExactly("before-0", "before-1", "before-2", "after-0", "after-1", "after-2");
            assertThat(events.subList(0, 3)).allSatisfy(event -> {
                assertThat(event.getUdf().getVersion()).isEqualTo("a");
                assertThat(event.getUdf().getSha256()).isEqualTo(versionA.info().sha256());
            });
            assertThat(events.subList(3, 6)).allSatisfy(event -> {
                assertThat(event.getUdf().getVersion()).isEqualTo("b");
                assertThat(event.getUdf().getSha256()).isEqualTo(versionB.info().sha256());
            });
            assertThat(deadLetters.isEmpty()).isTrue();
            assertThatThrownBy(versionA::newInstance).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        assertThatThrownBy(versionB::newInstance).isInstanceOf(IllegalStateException.class);
    }

    /** The same module with a custom section appended: it behaves the same, but its bytes and sha256 differ. */
    static byte[] withCustomSection(byte[] wasm, String name, String payload) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        var content = new ByteArrayOutputStream();
        leb128(content, nameBytes.length);
        content.writeBytes(nameBytes);
        content.writeBytes(payloadBytes);
        var out = new ByteArrayOutputStream();
        out.writeBytes(wasm);
        out.write(0);
        leb128(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static void leb128(ByteArrayOutputStream out, int value) {
        do {
            int part = value & 0x7f;
            value >>>= 7;
            out.write(value == 0 ? part : part | 0x80);
        } while (value != 0);
    }

    static byte[] faceAnnotateWasm() throws Exception {
        try (InputStream in = UdfRuntime.class.getResourceAsStream("/io/sightline/udf/bundled/face-annotate.wasm")) {
            return in.readAllBytes();
        }
    }

    private static TopologyTestDriver driver(ActiveUdf udfs) {
        var serdes = new TopologySerdes(new ConfluentAvroDeserializer<>(client, Frame.class),
                serializer(DetectionEvent.class), serializer(AnnotatedFrame.class), serializer(DeadLetter.class));
        var config = ProcessorConfig.of("unused:9092", TOPICS, 1, FrameLimits.defaults());
        var topology = SightlineTopology.build(TOPICS, serdes, udfs, FrameLimits.defaults(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        return new TopologyTestDriver(topology, config.streamsProperties(serializer(DeadLetter.class)));
    }

    private static Frame frame(String frameId) throws Exception {
        var out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR), "png", out);
        return Frame.newBuilder().setCameraId("cam").setFrameId(frameId).setCapturedAt(NOW)
                .setEncoding(ImageEncoding.PNG).setWidth(64).setHeight(48)
                .setPayload(ByteBuffer.wrap(out.toByteArray())).build();
    }

    private static <T extends SpecificRecord> ConfluentAvroSerializer<T> serializer(Class<T> type) {
        return new ConfluentAvroSerializer<>(client, type, SerdeType.VALUE);
    }
}
