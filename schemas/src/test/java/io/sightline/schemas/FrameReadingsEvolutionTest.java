package io.sightline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.Reading;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * Frame gained {@code readings} (sensor readings attached by MQTT ingest): the change must pass the registry's FULL
 * check against the schema before it, and readers on either side must read the other's records.
 */
class FrameReadingsEvolutionTest {

    private static final Instant AT = Instant.parse("2026-11-30T08:00:00Z");

    @Test
    void theRegistryAcceptsFrameWithReadingsUnderFullCompatibility() throws IOException {
        try (var registry = EmbeddedSchemaRegistry.start(0)) {
            var rest = new RegistryRest(registry.url());
            rest.put("/config/sightline.frames-value", "{\"compatibility\":\"FULL\"}");
            assertThat(rest.register("sightline.frames-value", before().toString()).status()).isEqualTo(200);

            RegistryRest.Answer after = rest.register("sightline.frames-value", Frame.getClassSchema().toString());

            assertThat(after.status()).as(after.body().toString()).isEqualTo(200);
            assertThat(rest.get("/subjects/sightline.frames-value/versions").body()).hasToString("[1,2]");
        }
    }

    @Test
    void aReaderOfTheOldSchemaReadsAFrameWithReadingsAndANewReaderSeesNoneInAnOldFrame() throws IOException {
        Frame withReadings = frame(List.of(Reading.newBuilder().setName("temperature").setValue(21.5).setUnit("C")
                .setAt(AT).build()));
        byte[] newBytes = write(withReadings);

        GenericRecord readByOld = new GenericDatumReader<GenericRecord>(Frame.getClassSchema(), before())
                .read(null, DecoderFactory.get().binaryDecoder(newBytes, null));
        assertThat(readByOld.get("frameId")).hasToString("f-1");
        assertThat(readByOld.getSchema().getField("readings")).isNull();

        GenericRecord old = new GenericData.Record(before());
        old.put("cameraId", "door");
        old.put("frameId", "f-0");
        old.put("capturedAt", AT.toEpochMilli());
        old.put("encoding", new GenericData.EnumSymbol(before().getField("encoding").schema(), "JPEG"));
        old.put("width", 2);
        old.put("height", 2);
        old.put("payload", ByteBuffer.wrap(new byte[] {1, 2}));
        var bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(before()).write(old, encoder);
        encoder.flush();
        Frame readByNew = new SpecificDatumReader<Frame>(before(), Frame.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(readByNew.getFrameId()).isEqualTo("f-0");
        assertThat(readByNew.getReadings()).isEmpty();
    }

    private static Schema before() throws IOException {
        try (InputStream in = FrameReadingsEvolutionTest.class.getResourceAsStream(
                "/evolution/Frame-before-readings.avsc")) {
            var parser = new Schema.Parser();
            parser.parse(ImageEncoding.getClassSchema().toString()); // a file of its own, as in src/main/avro
            return parser.parse(in);
        }
    }

    private static Frame frame(List<Reading> readings) {
        return Frame.newBuilder().setCameraId("door").setFrameId("f-1").setCapturedAt(AT)
                .setEncoding(ImageEncoding.JPEG).setWidth(2).setHeight(2).setPayload(ByteBuffer.wrap(new byte[] {1}))
                .setReadings(readings).build();
    }

    private static byte[] write(Frame frame) throws IOException {
        var bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<Frame>(Frame.class).write(frame, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }
}
