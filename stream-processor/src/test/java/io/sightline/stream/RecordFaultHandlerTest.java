package io.sightline.stream;

import io.sightline.schemas.SightlineSerdes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.model.FaceDetector;
import io.sightline.schemas.ConfluentAvroDeserializer;
import io.sightline.schemas.ConfluentAvroSerializer;
import io.sightline.schemas.DeadLetters;
import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.SchemaRegistryException;
import io.sightline.schemas.SerdeType;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.TrackEvent;
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfRuntime;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No record stops the stream: an unexpected exception, a dead letter too large to carry its original and a record
 * the broker refuses each become a dead letter, and the next record is processed. A registry outage is not a
 * record's fault and fails the task instead, once {@link RegistryWait#LIMIT} has passed without it coming back.
 */
class RecordFaultHandlerTest {

    private static final Topics TOPICS = Topics.withPrefix("faults");
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final FrameLimits SMALL = FrameLimits.withMaxRecordBytes(FrameLimits.MIN_RECORD_BYTES);

    private static EmbeddedSchemaRegistry registry;
    private static UdfRuntime udfs;
    private static SchemaRegistryClient client;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<String, DetectionEvent> detections;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start(0);
        client = SchemaRegistryClient.forUrls(registry.url().toString());
        udfs = UdfRuntime.faceAnnotate(FaceDetector.none(), UdfConfig.defaults());
    }

    @AfterAll
    static void stop() {
        udfs.close();
        registry.close();
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void deadLettersAnUnexpectedExceptionAsInternalAndProcessesTheNextFrame() throws Exception {
        startDriver(failingOn((byte) 'X', new IllegalStateException("bug in a deserializer")));
        byte[] bad = "X marks a record the frame deserializer fails on".getBytes();

        input.pipeInput("cam", bad);
        input.pipeInput("cam", frameBytes("next"));

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getReasonCode()).isEqualTo("INTERNAL");
        assertThat(letter.getStage()).isEqualTo("process");
        assertThat(letter.getMessage()).contains("IllegalStateException: bug in a deserializer");
        assertThat(bytes(letter.getValue())).isEqualTo(bad);
        assertThat(detections.readValue().getFrameId()).isEqualTo("next");
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void failsTheTaskWhenTheRegistryIsDownInsteadOfDeadLetteringGoodData() throws Exception {
        startDriver(failingOn((byte) 0, new SchemaRegistryException("registry unreachable", new ConnectException("refused"))));

        assertThatThrownBy(() -> input.pipeInput("cam", frameBytes("good"))).isInstanceOf(StreamsException.class);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void replacesOriginalBytesThatCannotFitInADeadLetterBySizeAndSha256() throws Exception {
        startDriver(new ConfluentAvroDeserializer<>(client, Frame.class));
        byte[] large = new byte[70_000];
        new Random(3).nextBytes(large);
        large[0] = 0x42; // not the Confluent magic byte

        input.pipeInput("cam", large);
        input.pipeInput("cam", frameBytes("next"));

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getReasonCode()).isEqualTo("WIRE_FORMAT");
        assertThat(letter.getValue()).isNull();
        assertThat(letter.getValueSize()).isEqualTo(70_000L);
        assertThat(letter.getValueSha256()).isEqualTo(DeadLetters.sha256Hex(large));
        assertThat(detections.readValue().getFrameId()).isEqualTo("next");
    }

    @Test
    void turnsARecordTheBrokerRefusesIntoATooLargeDeadLetter() {
        RecordFaultHandler handler = configuredHandler();
        byte[] source = "frame bytes".getBytes();
        var refused = new ProducerRecord<>(TOPICS.annotated(), "cam".getBytes(), new byte[100_000]);

        var response = handler.handleError(context(source), refused, new RecordTooLargeException("too big"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
        assertThat(dlq.topic()).isEqualTo(TOPICS.deadLetters());
        DeadLetter letter = decode(dlq);
        assertThat(letter.getReasonCode()).isEqualTo("TOO_LARGE");
        assertThat(letter.getStage()).isEqualTo("produce");
        assertThat(letter.getMessage()).contains("100003 bytes for faults.annotated refused");
        assertThat(bytes(letter.getValue())).isEqualTo(source);
    }

    @Test
    void resendsARefusedDeadLetterWithoutTheOriginalBytes() {
        RecordFaultHandler handler = configuredHandler();
        byte[] source = "frame bytes".getBytes();
        var refused = new ProducerRecord<>(TOPICS.deadLetters(), (byte[]) null, new byte[100_000]);

        var response = handler.handleError(context(source), refused, new RecordTooLargeException("too big"));

        DeadLetter letter = decode(response.deadLetterQueueRecords().get(0));
        assertThat(letter.getValue()).isNull();
        assertThat(letter.getValueSize()).isEqualTo(source.length);
        assertThat(letter.getValueSha256()).isEqualTo(DeadLetters.sha256Hex(source));
    }

    @Test
    void failsOnProductionErrorsThatAreNotTheRecordsFault() {
        var refused = new ProducerRecord<>(TOPICS.detections(), (byte[]) null, new byte[10]);

        var response = configuredHandler().handleError(context(new byte[1]), refused, new TimeoutException("broker"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    private void startDriver(Deserializer<Frame> frames) {
        var serdes = new TopologySerdes(frames, serializer(DetectionEvent.class), serializer(AnnotatedFrame.class),
                serializer(DeadLetter.class), serializer(UdfOutputRecord.class),
                SightlineSerdes.value(DetectionEvent.class, client), serializer(TrackEvent.class));
        var config = ProcessorConfig.of("unused:9092", TOPICS, 1, SMALL);
        var topology = SightlineTopology.build(TOPICS, serdes, udfs, SMALL, Clock.fixed(NOW, ZoneOffset.UTC));
        driver = new TopologyTestDriver(topology, config.streamsProperties(serializer(DeadLetter.class)));
        input = driver.createInputTopic(TOPICS.frames(), new StringSerializer(), new ByteArraySerializer());
        detections = driver.createOutputTopic(TOPICS.detections(), new StringDeserializer(),
                new ConfluentAvroDeserializer<>(client, DetectionEvent.class));
        deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), new StringDeserializer(),
                new ConfluentAvroDeserializer<>(client, DeadLetter.class));
    }

    private static Deserializer<Frame> failingOn(byte first, RuntimeException failure) {
        var real = new ConfluentAvroDeserializer<>(client, Frame.class);
        return (topic, data) -> {
            if (data != null && data.length > 0 && data[0] == first) {
                throw failure;
            }
            return real.deserialize(topic, data);
        };
    }

    private static RecordFaultHandler configuredHandler() {
        var handler = new RecordFaultHandler();
        handler.configure(Map.of(RecordFaultHandler.DEAD_LETTERS, new RecordFaultHandler.Settings(
                TOPICS.deadLetters(), serializer(DeadLetter.class), SMALL, Clock.fixed(NOW, ZoneOffset.UTC))));
        return handler;
    }

    private static byte[] frameBytes(String frameId) throws Exception {
        var out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR), "png", out);
        Frame frame = Frame.newBuilder().setCameraId("cam").setFrameId(frameId).setCapturedAt(NOW)
                .setEncoding(ImageEncoding.PNG).setWidth(64).setHeight(48)
                .setPayload(ByteBuffer.wrap(out.toByteArray())).build();
        return serializer(Frame.class).serialize(TOPICS.frames(), frame);
    }

    private static DeadLetter decode(ProducerRecord<byte[], byte[]> record) {
        return new ConfluentAvroDeserializer<>(client, DeadLetter.class).deserialize(record.topic(), record.value());
    }

    private static <T extends SpecificRecord> ConfluentAvroSerializer<T> serializer(Class<T> type) {
        return new ConfluentAvroSerializer<>(client, type, SerdeType.VALUE);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static ErrorHandlerContext context(byte[] sourceValue) {
        return new ErrorHandlerContext() {
            @Override public String topic() { return TOPICS.frames(); }
            @Override public int partition() { return 0; }
            @Override public long offset() { return 7; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return SightlineTopology.ANNOTATED_SINK; }
            @Override public TaskId taskId() { return new TaskId(0, 0); }
            @Override public long timestamp() { return NOW.toEpochMilli(); }
            @Override public byte[] sourceRawKey() { return "cam".getBytes(); }
            @Override public byte[] sourceRawValue() { return sourceValue; }
        };
    }
}
