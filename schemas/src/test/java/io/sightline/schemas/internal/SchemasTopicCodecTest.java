package io.sightline.schemas.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@code _schemas} keys and values must be byte for byte what Confluent Schema Registry writes and reads. */
class SchemasTopicCodecTest {

    @Test
    void schemaVersionIsWrittenInConfluentsKeyAndValueLayout() {
        var encoded = SchemasTopicCodec.encode(
                new SchemasRecord.SchemaVersion("users-value", 2, 7, "\"string\"", false));

        assertThat(text(encoded.key()))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"users-value\",\"version\":2,\"magic\":1}");
        assertThat(text(encoded.value())).isEqualTo(
                "{\"subject\":\"users-value\",\"version\":2,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
    }

    @Test
    void globalAndSubjectConfigUseConfigKeysAndNullValueUnsetsALevel() {
        var global = SchemasTopicCodec.encode(new SchemasRecord.Config(null, CompatibilityLevel.FULL));
        var unset = SchemasTopicCodec.encode(new SchemasRecord.Config("users-value", null));

        assertThat(text(global.key())).isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
        assertThat(text(global.value())).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
        assertThat(text(unset.key())).isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"users-value\",\"magic\":0}");
        assertThat(unset.value()).isNull();
    }

    @Test
    void everyEntryReadsBackAsWritten() {
        var entries = new SchemasRecord[] {
                new SchemasRecord.SchemaVersion("a", 1, 1, "\"int\"", true),
                new SchemasRecord.SchemaVersionRemoved("a", 1),
                new SchemasRecord.Config("a", CompatibilityLevel.FORWARD_TRANSITIVE),
                new SchemasRecord.Config(null, null),
                new SchemasRecord.SubjectDeleted("a", 3)};
        for (SchemasRecord entry : entries) {
            var encoded = SchemasTopicCodec.encode(entry);
            assertThat(SchemasTopicCodec.decode(encoded.key(), encoded.value())).contains(entry);
        }
    }

    @Test
    void readsEntriesConfluentAndKarapaceWriteWithExtraFields() {
        String key = "{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}";
        String value = "{\"subject\":\"s\",\"version\":1,\"id\":3,\"schemaType\":\"AVRO\",\"schema\":\"\\\"long\\\"\","
                + "\"deleted\":false,\"references\":[],\"md5\":\"x\"}";

        assertThat(SchemasTopicCodec.decode(bytes(key), bytes(value)))
                .contains(new SchemasRecord.SchemaVersion("s", 1, 3, "\"long\"", false));
    }

    @Test
    void noopAndUnknownKeyTypesAreNotForThisRegistry() {
        assertThat(SchemasTopicCodec.decode(bytes("{\"keytype\":\"NOOP\",\"magic\":0}"), null)).isEmpty();
        assertThat(SchemasTopicCodec.decode(bytes("{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}"),
                bytes("{\"mode\":\"READWRITE\"}"))).isEmpty();
    }

    @Test
    void bytesOutsideTheLayoutAreMalformed() {
        assertThatThrownBy(() -> SchemasTopicCodec.decode(bytes("not json"), null))
                .isInstanceOf(SchemasTopicCodec.MalformedEntryException.class);
        assertThatThrownBy(() -> SchemasTopicCodec.decode(
                bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}"),
                bytes("{\"subject\":\"s\",\"version\":1,\"schema\":\"\\\"long\\\"\"}")))
                .isInstanceOf(SchemasTopicCodec.MalformedEntryException.class)
                .hasMessageContaining("\"id\"");
        assertThatThrownBy(() -> SchemasTopicCodec.decode(
                bytes("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}"),
                bytes("{\"subject\":\"s\",\"version\":1,\"id\":1,\"schemaType\":\"PROTOBUF\",\"schema\":\"x\"}")))
                .isInstanceOf(SchemasTopicCodec.MalformedEntryException.class)
                .hasMessageContaining("PROTOBUF");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
