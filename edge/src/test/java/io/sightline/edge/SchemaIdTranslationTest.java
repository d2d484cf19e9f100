package io.sightline.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.schemas.EmbeddedSchemaRegistry;
import io.sightline.schemas.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The forwarding transformation against two real (in-memory) registries whose ids for the same schema differ: the
 * id is rewritten to the target's, the record then decodes with the target registry, and the source offset rides
 * along in a header; faults are retriable only when a registry is unreachable.
 */
class SchemaIdTranslationTest {

    private static final String TOPIC = "edge1.sightline.detections";

    private EmbeddedSchemaRegistry source;
    private EmbeddedSchemaRegistry target;
    private SchemaIdTranslation translation;

    @BeforeEach
    void start() {
        source = EmbeddedSchemaRegistry.start(0);
        target = EmbeddedSchemaRegistry.start(0);
        var targetClient = SchemaRegistryClient.forUrls(target.url().toString());
        for (int i = 0; i < 4; i++) {
            targetClient.register("other-" + i + "-value", SchemaBuilder.record("Other" + i).fields().requiredLong("x" + i).endRecord());
        }
        translation = configured(target.url().toString());
    }

    @AfterEach
    void stop() {
        translation.close();
        source.close();
        target.close();
    }

    @Test
    void rewritesTheSchemaIdToTheTargetRegistrysAndKeepsTheBody() throws Exception {
        byte[] value = wireFormat(source, "sightline.detections-value", "e-1");
        SourceRecord out = translation.apply(record(TOPIC, value, 41));

        byte[] forwarded = (byte[]) out.value();
        int sourceId = ByteBuffer.wrap(value, 1, 4).getInt();
        int targetId = ByteBuffer.wrap(forwarded, 1, 4).getInt();
        assertThat(targetId).isNotEqualTo(sourceId).isEqualTo(SchemaRegistryClient.forUrls(target.url().toString())
                .latest(TOPIC + "-value").id());
        assertThat(ByteBuffer.wrap(forwarded, 5, forwarded.length - 5))
                .isEqualTo(ByteBuffer.wrap(value, 5, value.length - 5));
        assertThat(decode(target, forwarded).get("eventId").toString()).isEqualTo("e-1");
        assertThat(ByteBuffer.wrap((byte[]) out.headers().lastWithName(SchemaIdTranslation.SOURCE_OFFSET_HEADER)
                .value()).getLong()).isEqualTo(41);
        assertThat(out.topic()).isEqualTo(TOPIC);
        assertThat(out.key()).isEqualTo("lobby".getBytes());
    }

    @Test
    void leavesOtherTopicsAndTombstonesAlone() {
        byte[] notAvro = "hello".getBytes();
        SourceRecord other = record("heartbeats", notAvro, 1);
        assertThat(translation.apply(other)).isSameAs(other);
        SourceRecord tombstone = translation.apply(record(TOPIC, null, 2));
        assertThat(tombstone.value()).isNull();
    }

    @Test
    void refusesWhatNoRegistryCanDescribeAndRetriesWhenTheTargetIsAway() throws Exception {
        assertThatThrownBy(() -> translation.apply(record(TOPIC, "not avro".getBytes(), 3)))
                .isInstanceOf(DataException.class).hasMessageContaining("wire format");
        byte[] unknownId = {0, 0, 0, 0x7f, 0x7f, 2, 'x'};
        assertThatThrownBy(() -> translation.apply(record(TOPIC, unknownId, 4)))
                .isInstanceOf(DataException.class).hasMessageContaining("unknown to the source registry");

        byte[] value = wireFormat(source, "sightline.dlq-value", "e-2");
        SchemaIdTranslation away = configured("http://127.0.0.1:" + closedPort());
        try {
            assertThatThrownBy(() -> away.apply(record("edge1.sightline.dlq", value, 5)))
                    .isInstanceOf(RetriableException.class).hasMessageContaining("target schema registry is unreachable");
        } finally {
            away.close();
        }
    }

    private SchemaIdTranslation configured(String targetUrl) {
        var transformation = new SchemaIdTranslation();
        transformation.configure(Map.of(SchemaIdTranslation.SOURCE_REGISTRY, source.url().toString(),
                SchemaIdTranslation.TARGET_REGISTRY, targetUrl,
                SchemaIdTranslation.TOPICS_REGEX, "edge1\\..*"));
        return transformation;
    }

    private static SourceRecord record(String topic, byte[] value, long offset) {
        return new SourceRecord(Map.of("cluster", "edge1", "topic", "t", "partition", 0), Map.of("offset", offset),
                topic, 0, Schema.BYTES_SCHEMA, "lobby".getBytes(), Schema.BYTES_SCHEMA, value, 1_000L);
    }

    private static final org.apache.avro.Schema EVENT = SchemaBuilder.record("Event").namespace("test")
            .fields().requiredString("eventId").endRecord();

    /** A record in the Confluent wire format as a producer using the registry writes it. */
    private static byte[] wireFormat(EmbeddedSchemaRegistry registry, String subject, String eventId)
            throws IOException {
        int id = SchemaRegistryClient.forUrls(registry.url().toString()).register(subject, EVENT);
        var out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        GenericRecord record = new GenericData.Record(EVENT);
        record.put("eventId", eventId);
        new GenericDatumWriter<GenericRecord>(EVENT).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Decodes as a consumer does: the writer's schema fetched by the record's id from the given registry. */
    private static GenericRecord decode(EmbeddedSchemaRegistry registry, byte[] value) throws IOException {
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        org.apache.avro.Schema writer = SchemaRegistryClient.forUrls(registry.url().toString()).schemaById(id);
        return new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
