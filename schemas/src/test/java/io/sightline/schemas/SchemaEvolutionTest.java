package io.sightline.schemas;

import static io.sightline.schemas.RegistryRest.REGISTRY_JSON;
import static io.sightline.schemas.RegistryRest.assertError;
import static io.sightline.schemas.RegistryRest.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.RegistryRest.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Compatibility levels and checks over the registry's REST API, as Confluent tools use them. */
class SchemaEvolutionTest {
    private static final String CAMERA_V1 = """
            {"type":"record","name":"Camera","namespace":"test","fields":[
              {"name":"id","type":"string"},{"name":"site","type":"string"}]}""";
    private static final String CAMERA_V2_OPTIONAL_MODEL = """
            {"type":"record","name":"Camera","namespace":"test","fields":[
              {"name":"id","type":"string"},{"name":"site","type":"string"},
              {"name":"model","type":["null","string"],"default":null}]}""";
    private static final String CAMERA_WITHOUT_SITE = """
            {"type":"record","name":"Camera","namespace":"test","fields":[
              {"name":"id","type":"string"},{"name":"model","type":["null","string"],"default":null}]}""";
    private static final String CAMERA_REQUIRED_FLOOR = """
            {"type":"record","name":"Camera","namespace":"test","fields":[
              {"name":"id","type":"string"},{"name":"site","type":"string"},{"name":"floor","type":"int"}]}""";

    private EmbeddedSchemaRegistry registry;
    private RegistryRest rest;

    @BeforeEach
    void startRegistry() {
        registry = EmbeddedSchemaRegistry.start(0);
        rest = new RegistryRest(registry.url());
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void addingAnOptionalFieldIsAcceptedDroppingARequiredOneIsRefusedAndOldReadersReadNewRecords() throws IOException {
        assertThat(rest.put("/config/cameras-value", "{\"compatibility\":\"FULL\"}").body())
                .hasToString("{\"compatibility\":\"FULL\"}");
        int v1 = rest.register("cameras-value", CAMERA_V1).body().get("id").asInt();

        Answer added = rest.register("cameras-value", CAMERA_V2_OPTIONAL_MODEL);
        Answer dropped = rest.register("cameras-value", CAMERA_WITHOUT_SITE);

        assertThat(added.status()).isEqualTo(200);
        int v2 = added.body().get("id").asInt();
        assertThat(v2).isEqualTo(v1 + 1);
        assertThat(dropped.status()).isEqualTo(409);
        assertThat(dropped.contentType()).isEqualTo(REGISTRY_JSON);
        assertThat(dropped.body().get("error_code").asInt()).isEqualTo(409);
        assertThat(dropped.body().get("message").asText())
                .contains("incompatible with an earlier schema for subject \"cameras-value\" (compatibility FULL)")
                .contains("readers using version 2 cannot read data written with the new schema")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("site");
        assertThat(rest.get("/subjects/cameras-value/versions").body()).hasToString("[1,2]");

        // A consumer built against version 1 reads a record written with version 2, the writer schema fetched by id.
        Schema writer = new Schema.Parser().parse(rest.get("/schemas/ids/" + v2).body().get("schema").asText());
        GenericRecord written = new GenericData.Record(writer);
        written.put("id", "cam-7");
        written.put("site", "lobby");
        written.put("model", "axis-p3245");
        GenericRecord read = new GenericDatumReader<GenericRecord>(writer, new Schema.Parser().parse(CAMERA_V1))
                .read(null, DecoderFactory.get().binaryDecoder(avro(written), null));
        assertThat(read.get("id")).hasToString("cam-7");
        assertThat(read.get("site")).hasToString("lobby");
        assertThat(read.getSchema().getField("model")).isNull();
    }

    @Test
    void backwardByDefaultRefusesANewRequiredFieldWithoutDefault() {
        rest.register("cameras-value", CAMERA_V1);

        Answer refused = rest.register("cameras-value", CAMERA_REQUIRED_FLOOR);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("message").asText())
                .contains("(compatibility BACKWARD)")
                .contains("the new schema cannot read data written with version 1")
                .contains("floor");
    }

    @Test
    void globalLevelDefaultsToBackwardAndCanBeChanged() {
        assertThat(rest.get("/config").body()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");

        Answer changed = rest.put("/config", "{\"compatibility\":\"forward_transitive\"}");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.contentType()).isEqualTo(REGISTRY_JSON);
        assertThat(changed.body()).hasToString("{\"compatibility\":\"FORWARD_TRANSITIVE\"}");
        assertThat(rest.get("/config").body()).hasToString("{\"compatibilityLevel\":\"FORWARD_TRANSITIVE\"}");
    }

    @Test
    void subjectLevelOverridesTheGlobalOneUntilDeleted() {
        assertError(rest.get("/config/cameras-value"), 404, 40408);
        assertThat(rest.get("/config/cameras-value?defaultToGlobal=true").body())
                .hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");

        rest.put("/config/cameras-value", "{\"compatibility\":\"NONE\"}");
        rest.register("cameras-value", CAMERA_V1);
        assertThat(rest.register("cameras-value", CAMERA_REQUIRED_FLOOR).status()).isEqualTo(200);
        assertThat(rest.get("/config/cameras-value").body()).hasToString("{\"compatibilityLevel\":\"NONE\"}");

        Answer deleted = rest.delete("/config/cameras-value");
        assertThat(deleted.body()).hasToString("{\"compatibilityLevel\":\"NONE\"}");
        assertError(rest.get("/config/cameras-value"), 404, 40408);
    }

    @Test
    void unknownLevelAnswers42203() {
        assertError(rest.put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        assertError(rest.put("/config/cameras-value", "{\"level\":\"FULL\"}"), 422, 42203);
    }

    @Test
    void compatibilityEndpointAnswersWithoutRegistering() {
        rest.register("cameras-value", CAMERA_V1);

        Answer ok = rest.post("/compatibility/subjects/cameras-value/versions/latest", schemaBody(CAMERA_V2_OPTIONAL_MODEL));
        Answer bad = rest.post("/compatibility/subjects/cameras-value/versions/1?verbose=true",
                schemaBody(CAMERA_REQUIRED_FLOOR));

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).hasToString("{\"is_compatible\":true}");
        assertThat(bad.body().get("is_compatible").asBoolean()).isFalse();
        assertThat(bad.body().get("messages")).singleElement().asString().contains("floor");
        assertThat(rest.get("/subjects/cameras-value/versions").body()).hasToString("[1]");
        assertError(rest.post("/compatibility/subjects/nobody-value/versions/latest", schemaBody(CAMERA_V1)), 404, 40401);
        assertError(rest.post("/compatibility/subjects/cameras-value/versions/9", schemaBody(CAMERA_V1)), 404, 40402);
    }

    private static byte[] avro(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
