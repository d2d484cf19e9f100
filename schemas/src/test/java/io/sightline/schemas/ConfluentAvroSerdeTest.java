package io.sightline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.schemas.WireFormatException.Reason;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {
    private static EmbeddedSchemaRegistry registry;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void startRegistry() {
        registry = EmbeddedSchemaRegistry.start(0);
        client = new SchemaRegistryClient(List.of(registry.url()));
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void roundTripsFrameWithSensorsAndSource() {
        assertRoundTrips(Frame.class, SampleRecords.frame());
    }

    @Test
    void roundTripsFrameWithoutOptionalParts() {
        Frame bare = Frame.newBuilder(SampleRecords.frame()).setSensors(null).setSource(null).build();
        assertRoundTrips(Frame.class, bare);
    }

    @Test
    void roundTripsDetectionEvent() {
        assertRoundTrips(DetectionEvent.class, SampleRecords.detectionEvent());
    }

    @Test
    void roundTripsAnnotatedFrame() {
        assertRoundTrips(AnnotatedFrame.class, SampleRecords.annotatedFrame());
    }

    @Test
    void roundTripsDeadLetter() {
        assertRoundTrips(DeadLetter.class, SampleRecords.deadLetter());
    }

    @Test
    void wireBytesStartWithMagicZeroAndTheIdRegisteredForTheValueSubject() {
        byte[] bytes = SightlineSerdes.value(Frame.class, client).serializer().serialize("wire.frames", SampleRecords.frame());

        int registeredId = client.lookup("wire.frames-value", Frame.getClassSchema()).id();
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
    }

    @Test
    void keySerdeRegistersUnderTheKeySubject() {
        byte[] bytes = SightlineSerdes.key(Frame.class, client).serializer().serialize("keyed.frames", SampleRecords.frame());

        RegisteredSchema registered = client.latest("keyed.frames-key");
        assertThat(registered.schema()).isEqualTo(Frame.getClassSchema());
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registered.id());
    }

    @Test
    void serializerWithoutAutoRegisterRefusesASubjectThatLacksItsSchema() {
        var serializer = new ConfluentAvroSerializer<>(client, Frame.class, SerdeType.VALUE, false);

        assertThatThrownBy(() -> serializer.serialize("unregistered.frames", SampleRecords.frame()))
                .isInstanceOf(SchemaNotFoundException.class)
                .extracting(e -> ((SchemaNotFoundException) e).errorCode()).isEqualTo(40401);
    }

    @Test
    void serializerWithoutAutoRegisterUsesTheIdAnOperatorRegistered() {
        int id = client.register("preregistered.frames-value", Frame.getClassSchema());
        var serializer = new ConfluentAvroSerializer<>(client, Frame.class, SerdeType.VALUE, false);

        byte[] bytes = serializer.serialize("preregistered.frames", SampleRecords.frame());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void serializesNullAsTombstone() {
        assertThat(SightlineSerdes.value(Frame.class, client).serializer().serialize("tombstones", null)).isNull();
    }

    @Test
    void refusesToSerializeARecordMissingRequiredFields() {
        Frame incomplete = new Frame();

        assertThatThrownBy(() -> SightlineSerdes.value(Frame.class, client).serializer().serialize("incomplete", incomplete))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot write Frame for topic incomplete");
    }

    @Test
    void keepsWorkingFromItsCachesWhenTheRegistryGoesAway() {
        byte[] bytes;
        Serde<Frame> serde;
        try (EmbeddedSchemaRegistry shortLived = EmbeddedSchemaRegistry.start(0)) {
            serde = SightlineSerdes.value(Frame.class, new SchemaRegistryClient(List.of(shortLived.url())));
            bytes = serde.serializer().serialize("cached.frames", SampleRecords.frame());
            serde.deserializer().deserialize("cached.frames", bytes);
        }

        byte[] again = serde.serializer().serialize("cached.frames", SampleRecords.frame());

        assertThat(again).isEqualTo(bytes);
        assertThat(serde.deserializer().deserialize("cached.frames", again)).isEqualTo(SampleRecords.frame());
    }

    @Test
    void readsRecordsWrittenWithAnOlderSchemaByFillingDefaults() {
        Schema older = new Schema.Parser().parse("""
                {"type": "record", "name": "Frame", "namespace": "io.sightline.schemas.avro", "fields": [
                  {"name": "cameraId", "type": "string"},
                  {"name": "frameId", "type": "string"},
                  {"name": "capturedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "encoding", "type": {"type": "enum", "name": "ImageEncoding", "symbols": ["JPEG", "PNG"]}},
                  {"name": "width", "type": "int"},
                  {"name": "height", "type": "int"},
                  {"name": "payload", "type": "bytes"},
                  {"name": "sensors", "default": null, "type": ["null", {"type": "record", "name": "SensorReadings",
                    "fields": [{"name": "temperatureC", "type": ["null", "double"], "default": null}]}]}
                ]}""");
        Schema olderSensors = older.getField("sensors").schema().getTypes().get(1);
        GenericRecord oldFrame = new GenericRecordBuilder(older)
                .set("cameraId", "cam-old").set("frameId", "f1")
                .set("capturedAt", SampleRecords.CAPTURED_AT.toEpochMilli())
                .set("encoding", new GenericData.EnumSymbol(older.getField("encoding").schema(), "PNG"))
                .set("width", 4).set("height", 3)
                .set("payload", ByteBuffer.wrap(new byte[] {9, 8, 7}))
                .set("sensors", new GenericRecordBuilder(olderSensors).set("temperatureC", 19.0).build())
                .build();
        int olderId = client.register("evolution.old-value", older);

        Frame read = SightlineSerdes.value(Frame.class, client).deserializer()
                .deserialize("evolution.old", wireBytes(olderId, older, GenericData.get(), oldFrame));

        assertThat(read.getCameraId()).isEqualTo("cam-old");
        assertThat(read.getCapturedAt()).isEqualTo(SampleRecords.CAPTURED_AT);
        assertThat(read.getEncoding().name()).isEqualTo("PNG");
        assertThat(read.getPayload().array()).containsExactly(9, 8, 7);
        assertThat(read.getSensors().getTemperatureC()).isEqualTo(19.0);
        assertThat(read.getSensors().getGps()).isNull();
        assertThat(read.getSensors().getMotion()).isNull();
        assertThat(read.getSensors().getExtra()).isEmpty();
        assertThat(read.getSource()).isNull();
    }

    @Test
    void readsRecordsWrittenWithANewerSchemaByIgnoringAddedFields() {
        List<Schema.Field> fields = new ArrayList<>();
        Frame.getClassSchema().getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("exposureMs", Schema.create(Schema.Type.DOUBLE), "Added later.", 0.0));
        Schema newer = Schema.createRecord("Frame", null, "io.sightline.schemas.avro", false, fields);
        GenericData.Record newFrame = new GenericData.Record(newer);
        Frame current = SampleRecords.frame();
        Frame.getClassSchema().getFields().forEach(field -> newFrame.put(field.name(), current.get(field.pos())));
        newFrame.put("exposureMs", 16.7);
        int newerId = client.register("evolution.new-value", newer);

        Frame read = SightlineSerdes.value(Frame.class, client).deserializer()
                .deserialize("evolution.new", wireBytes(newerId, newer, SpecificData.getForClass(Frame.class), newFrame));

        assertThat(read).isEqualTo(current);
    }

    @Test
    void rejectsAWriterSchemaThatCannotBeResolvedAsIncompatible() {
        Schema unrelated = new Schema.Parser().parse("""
                {"type": "record", "name": "Frame", "namespace": "io.sightline.schemas.avro",
                 "fields": [{"name": "cameraId", "type": "int"}]}""");
        int id = client.register("incompatible-value", unrelated);
        GenericRecord record = new GenericRecordBuilder(unrelated).set("cameraId", 7).build();

        assertWireFormatError(wireBytes(id, unrelated, GenericData.get(), record), Reason.INCOMPATIBLE_SCHEMA,
                "schema id " + id + " cannot be read as io.sightline.schemas.avro.Frame");
    }

    @Test
    void rejectsNullBytes() {
        assertWireFormatError(null, Reason.NULL_PAYLOAD, "record has no bytes");
    }

    @Test
    void rejectsBytesShorterThanTheHeader() {
        assertWireFormatError(new byte[] {0, 0, 0, 1}, Reason.TOO_SHORT, "4 bytes, shorter than the 5-byte");
    }

    @Test
    void rejectsBadMagicByte() {
        byte[] bytes = validFrameBytes();
        bytes[0] = 1;

        assertWireFormatError(bytes, Reason.BAD_MAGIC, "magic byte is 0x01, expected 0x00");
    }

    @Test
    void rejectsPlainJsonAsBadMagic() {
        assertWireFormatError("{\"cameraId\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                Reason.BAD_MAGIC, "magic byte is 0x7b");
    }

    @Test
    void rejectsASchemaIdTheRegistryDoesNotKnow() {
        byte[] bytes = validFrameBytes();
        ByteBuffer.wrap(bytes).putInt(1, 999_999);

        assertWireFormatError(bytes, Reason.UNKNOWN_SCHEMA_ID, "schema id 999999 is not in the registry");
    }

    @Test
    void rejectsATruncatedAvroBody() {
        byte[] valid = validFrameBytes();

        assertWireFormatError(Arrays.copyOf(valid, valid.length - 3), Reason.CORRUPT_AVRO, "does not decode");
    }

    @Test
    void rejectsBytesLeftOverAfterTheAvroBody() {
        byte[] valid = validFrameBytes();

        assertWireFormatError(Arrays.copyOf(valid, valid.length + 2), Reason.CORRUPT_AVRO, "bytes left over");
    }

    @Test
    void rejectsAStringLengthFarBeyondTheRecordWithoutAllocatingIt() {
        byte[] valid = validFrameBytes();
        // cameraId's length as a zig-zag varint claiming 1 GiB, followed by the rest of the real record.
        byte[] hugeLength = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        ByteBuffer corrupt = ByteBuffer.allocate(valid.length + hugeLength.length);
        corrupt.put(valid, 0, 5).put(hugeLength).put(valid, 6, valid.length - 6);

        assertWireFormatError(Arrays.copyOf(corrupt.array(), corrupt.position()), Reason.CORRUPT_AVRO,
                "string length 1073741824 exceeds the");
    }

    @Test
    void rejectsAnArrayCountFarBeyondTheRecordWithoutAllocatingIt() throws IOException {
        int id = client.register("bad.events-value", DetectionEvent.getClassSchema());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 0, 0});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        encoder.writeString("evt");
        encoder.writeString("cam");
        encoder.writeString("frame");
        encoder.writeLong(1L);
        encoder.writeLong(2L);
        encoder.writeInt(640);
        encoder.writeInt(480);
        encoder.writeLong(1L << 30); // the faces array's first block claims a billion entries
        encoder.flush();
        byte[] bytes = out.toByteArray();
        ByteBuffer.wrap(bytes).putInt(1, id);
        var deserializer = new ConfluentAvroDeserializer<>(client, DetectionEvent.class);

        assertThatThrownBy(() -> deserializer.deserialize("bad.events", bytes))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_AVRO))
                .hasMessageContaining("array block of 1073741824 entries exceeds the 0 bytes left");
    }

    @Test
    void reportsARegistryOutageAsARegistryFailureNotAsBadBytes() {
        byte[] bytes;
        SchemaRegistryClient goneClient;
        try (EmbeddedSchemaRegistry shortLived = EmbeddedSchemaRegistry.start(0)) {
            bytes = SightlineSerdes.value(Frame.class, new SchemaRegistryClient(List.of(shortLived.url())))
                    .serializer().serialize("outage.frames", SampleRecords.frame());
            goneClient = new SchemaRegistryClient(List.of(shortLived.url()));
        }
        var deserializer = new ConfluentAvroDeserializer<>(goneClient, Frame.class);

        assertThatThrownBy(() -> deserializer.deserialize("outage.frames", bytes))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("schema registry unreachable");
    }

    private static <T extends SpecificRecord> void assertRoundTrips(Class<T> type, T record) {
        Serde<T> serde = SightlineSerdes.value(type, client);
        String topic = "roundtrip." + type.getSimpleName();

        T read = serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, record));

        assertThat(read).isEqualTo(record);
    }

    private static byte[] validFrameBytes() {
        return SightlineSerdes.value(Frame.class, client).serializer().serialize("bad.frames", SampleRecords.frame());
    }

    private static void assertWireFormatError(byte[] bytes, Reason reason, String messagePart) {
        var deserializer = new ConfluentAvroDeserializer<>(client, Frame.class);

        assertThatThrownBy(() -> deserializer.deserialize("bad.frames", bytes))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }

    private static byte[] wireBytes(int schemaId, Schema schema, GenericData model, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema, model).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
