package io.sightline.stream;

import io.sightline.schemas.SightlineSerdes;
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
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.schemas.avro.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The product topology under {@link TopologyTestDriver}, with a real (in-memory) registry and a fixed clock, for
 * tests about what happens around a real UDF: its topics, serdes and small blank frames.
 */
final class TopologyHarness implements AutoCloseable {

    final Topics topics;
    final Instant now;
    private final EmbeddedSchemaRegistry registry;
    private final SchemaRegistryClient client;

    TopologyHarness(String prefix, Instant now) {
        this.topics = Topics.withPrefix(prefix);
        this.now = now;
        this.registry = EmbeddedSchemaRegistry.start(0);
        this.client = SchemaRegistryClient.forUrls(registry.url().toString());
    }

    TopologyTestDriver driver(ActiveUdf udfs) {
        return driver(PipelineUdfs.single(udfs));
    }

    TopologyTestDriver driver(PipelineUdfs udfs) {
        var serdes = new TopologySerdes(new ConfluentAvroDeserializer<>(client, Frame.class),
                serializer(DetectionEvent.class), serializer(AnnotatedFrame.class), serializer(DeadLetter.class),
                serializer(UdfOutputRecord.class), SightlineSerdes.value(DetectionEvent.class, client),
                serializer(TrackEvent.class));
        var config = ProcessorConfig.of("unused:9092", topics, 1, FrameLimits.defaults());
        var topology = SightlineTopology.build(topics, serdes, udfs, FrameLimits.defaults(),
                Clock.fixed(now, ZoneOffset.UTC));
        return new TopologyTestDriver(topology, config.streamsProperties(serializer(DeadLetter.class)));
    }

    TestInputTopic<String, Frame> frames(TopologyTestDriver driver) {
        return driver.createInputTopic(topics.frames(), new StringSerializer(), serializer(Frame.class));
    }

    TestOutputTopic<String, DetectionEvent> detections(TopologyTestDriver driver) {
        return driver.createOutputTopic(topics.detections(), new StringDeserializer(),
                new ConfluentAvroDeserializer<>(client, DetectionEvent.class));
    }

    TestOutputTopic<String, DeadLetter> deadLetters(TopologyTestDriver driver) {
        return driver.createOutputTopic(topics.deadLetters(), new StringDeserializer(),
                new ConfluentAvroDeserializer<>(client, DeadLetter.class));
    }

    TestOutputTopic<String, UdfOutputRecord> outputs(TopologyTestDriver driver, String output) {
        return driver.createOutputTopic(topics.output(output), new StringDeserializer(),
                new ConfluentAvroDeserializer<>(client, UdfOutputRecord.class));
    }

    /** A black 64×48 PNG frame of camera "cam". */
    static Frame blankFrame(String frameId, Instant capturedAt) {
        return blankFrame("cam", frameId, capturedAt);
    }

    /** A black 64×48 PNG frame of the camera. */
    static Frame blankFrame(String cameraId, String frameId, Instant capturedAt) {
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Frame.newBuilder().setCameraId(cameraId).setFrameId(frameId).setCapturedAt(capturedAt)
                .setEncoding(ImageEncoding.PNG).setWidth(64).setHeight(48)
                .setPayload(ByteBuffer.wrap(out.toByteArray())).build();
    }

    <T extends SpecificRecord> ConfluentAvroDeserializer<T> deserializer(Class<T> type) {
        return new ConfluentAvroDeserializer<>(client, type);
    }

    private <T extends SpecificRecord> ConfluentAvroSerializer<T> serializer(Class<T> type) {
        return new ConfluentAvroSerializer<>(client, type, SerdeType.VALUE);
    }

    @Override
    public void close() {
        registry.close();
    }
}
