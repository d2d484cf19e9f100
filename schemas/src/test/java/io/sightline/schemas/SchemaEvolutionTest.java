package io.sightline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGISTRY_JSON = "application/vnd.schemaregistry.v1+json";
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

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private EmbeddedSchemaRegistry registry;

    private record Answer(int status, String contentType, JsonNode body) {
    }

    @BeforeEach
    void startRegistry() {
        registry = EmbeddedSchemaRegistry.start(0);
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void addingAnOptionalFieldIsAcceptedDroppingARequiredOneIsRefusedAndOldReadersReadNewRecords() throws IOException {
        assertThat(put("/config/cameras-value", "{\"compatibility\":\"FULL\"}").body())
                .hasToString("{\"compatibility\":\"FULL\"}");
        int v1 = register("cameras-value", CAMERA_V1).body().get("id").asInt();

        Answer added = register("cameras-value", CAMERA_V2_OPTIONAL_MODEL);
        Answer dropped = register("cameras-value", CAMERA_WITHOUT_SITE);

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
        assertThat(get("/subjects/cameras-value/versions").body()).hasToString("[1,2]");

        // A consumer built against version 1 reads a record written with version 2, the writer schema fetched by id.
        Schema writer = new Schema.Parser().parse(get("/schemas/ids/" + v2).body().get("schema").asText());
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
        register("cameras-value", CAMERA_V1);

        Answer refused = register("cameras-value", CAMERA_REQUIRED_FLOOR);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("message").asText())
                .contains("(compatibility BACKWARD)")
                .contains("the new schema cannot read data written with version 1")
                .contains("floor");
    }

    @Test
    void globalLevelDefaultsToBackwardAndCanBeChanged() {
        assertThat(get("/config").body()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");

        Answer changed = put("/config", "{\"compatibility\":\"forward_transitive\"}");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.contentType()).isEqualTo(REGISTRY_JSON);
        assertThat(changed.body()).hasToString("{\"compatibility\":\"FORWARD_TRANSITIVE\"}");
        assertThat(get("/config").body()).hasToString("{\"compatibilityLevel\":\"FORWARD_TRANSITIVE\"}");
    }

    @Test
    void subjectLevelOverridesTheGlobalOneUntilDeleted() {
        assertError(get("/config/cameras-value"), 404, 40408);
        assertThat(get("/config/cameras-value?defaultToGlobal=true").body())
                .hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");

        put("/config/cameras-value", "{\"compatibility\":\"NONE\"}");
        register("cameras-value", CAMERA_V1);
        assertThat(register("cameras-value", CAMERA_REQUIRED_FLOOR).status()).isEqualTo(200);
        assertThat(get("/config/cameras-value").body()).hasToString("{\"compatibilityLevel\":\"NONE\"}");

        Answer deleted = send(HttpRequest.newBuilder(uri("/config/cameras-value")).DELETE());
        assertThat(deleted.body()).hasToString("{\"compatibilityLevel\":\"NONE\"}");
        assertError(get("/config/cameras-value"), 404, 40408);
    }

    @Test
    void unknownLevelAnswers42203() {
        assertError(put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        assertError(put("/config/cameras-value", "{\"level\":\"FULL\"}"), 422, 42203);
    }

    @Test
    void compatibilityEndpointAnswersWithoutRegistering() {
        register("cameras-value", CAMERA_V1);

        Answer ok = post("/compatibility/subjects/cameras-value/versions/latest", schemaBody(CAMERA_V2_OPTIONAL_MODEL));
        Answer bad = post("/compatibility/subjects/cameras-value/versions/1?verbose=true",
                schemaBody(CAMERA_REQUIRED_FLOOR));

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).hasToString("{\"is_compatible\":true}");
        assertThat(bad.body().get("is_compatible").asBoolean()).isFalse();
        assertThat(bad.body().get("messages")).singleElement().asString().contains("floor");
        assertThat(get("/subjects/cameras-value/versions").body()).hasToString("[1]");
        assertError(post("/compatibility/subjects/nobody-value/versions/latest", schemaBody(CAMERA_V1)), 404, 40401);
        assertError(post("/compatibility/subjects/cameras-value/versions/9", schemaBody(CAMERA_V1)), 404, 40402);
    }

    private static byte[] avro(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private Answer register(String subject, String schema) {
        return post("/subjects/" + subject + "/versions", schemaBody(schema));
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", REGISTRY_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Answer put(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", REGISTRY_JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private URI uri(String path) {
        return URI.create(registry.url() + path);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    JSON.readTree(response.body()));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("request to embedded registry failed", e);
        }
    }

    private static void assertError(Answer answer, int httpStatus, int errorCode) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(httpStatus);
        assertThat(answer.contentType()).isEqualTo(REGISTRY_JSON);
        assertThat(answer.body().get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(answer.body().get("message").asText()).isNotBlank();
    }
}
