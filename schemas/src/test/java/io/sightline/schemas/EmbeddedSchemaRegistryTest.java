package io.sightline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry's REST behaviour, checked with plain HTTP calls as any Confluent-speaking tool would make them. */
class EmbeddedSchemaRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGISTRY_JSON = "application/vnd.schemaregistry.v1+json";
    private static final String USER = """
            {"type": "record", "name": "User", "namespace": "test", "fields": [{"name": "name", "type": "string"}]}""";
    private static final String USER_V2 = """
            {"type": "record", "name": "User", "namespace": "test", "fields": [
              {"name": "name", "type": "string"}, {"name": "age", "type": ["null", "int"], "default": null}]}""";

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
    void registeringReturnsAnIdInTheRegistryContentType() {
        Answer answer = register("users-value", USER);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo(REGISTRY_JSON);
        assertThat(answer.body().get("id").asInt()).isEqualTo(1);
    }

    @Test
    void registeringTheSameSchemaAgainReturnsTheSameIdWithoutANewVersion() {
        int first = register("users-value", USER).body().get("id").asInt();
        // Same schema, different whitespace: the registry compares parsed schemas.
        int again = register("users-value", USER.replace(" ", "")).body().get("id").asInt();

        assertThat(again).isEqualTo(first);
        assertThat(get("/subjects/users-value/versions").body()).hasToString("[1]");
    }

    @Test
    void identicalSchemasShareOneIdAcrossSubjects() {
        int inUsers = register("users-value", USER).body().get("id").asInt();
        int inAdmins = register("admins-value", USER).body().get("id").asInt();

        assertThat(inAdmins).isEqualTo(inUsers);
        assertThat(get("/schemas/ids/" + inUsers + "/versions").body()).hasToString(
                "[{\"subject\":\"admins-value\",\"version\":1},{\"subject\":\"users-value\",\"version\":1}]");
    }

    @Test
    void aChangedSchemaBecomesTheSubjectsNextVersionWithANewId() {
        register("users-value", USER);
        int v2Id = register("users-value", USER_V2).body().get("id").asInt();

        JsonNode latest = get("/subjects/users-value/versions/latest").body();
        assertThat(v2Id).isEqualTo(2);
        assertThat(latest.get("subject").asText()).isEqualTo("users-value");
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(2);
        assertThat(new Schema.Parser().parse(latest.get("schema").asText()).getField("age")).isNotNull();
        assertThat(get("/subjects/users-value/versions/1").body().get("id").asInt()).isEqualTo(1);
        assertThat(get("/subjects/users-value/versions/-1").body().get("version").asInt()).isEqualTo(2);
        assertThat(get("/subjects/users-value/versions").body()).hasToString("[1,2]");
    }

    @Test
    void servesSchemasByIdWithOrWithoutASubjectParameter() {
        int id = register("users-value", USER).body().get("id").asInt();

        Answer plain = get("/schemas/ids/" + id);
        Answer withSubject = get("/schemas/ids/" + id + "?subject=users-value");

        assertThat(plain.status()).isEqualTo(200);
        assertThat(new Schema.Parser().parse(plain.body().get("schema").asText()))
                .isEqualTo(new Schema.Parser().parse(USER));
        assertThat(withSubject.body()).isEqualTo(plain.body());
    }

    @Test
    void listsSubjectsInOrder() {
        register("b-value", USER);
        register("a-value", USER);

        assertThat(get("/subjects").body()).hasToString("[\"a-value\",\"b-value\"]");
    }

    @Test
    void lookupFindsTheVersionHoldingASchema() {
        register("users-value", USER);
        register("users-value", USER_V2);

        Answer answer = post("/subjects/users-value", schemaBody(USER), REGISTRY_JSON);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("version").asInt()).isEqualTo(1);
        assertThat(answer.body().get("id").asInt()).isEqualTo(1);
        assertThat(answer.body().get("subject").asText()).isEqualTo("users-value");
    }

    @Test
    void lookupOfASchemaNotInTheSubjectAnswers40403() {
        register("users-value", USER);

        assertError(post("/subjects/users-value", schemaBody(USER_V2), REGISTRY_JSON), 404, 40403);
    }

    @Test
    void unknownSubjectAnswers40401() {
        assertError(get("/subjects/nobody-value/versions"), 404, 40401);
        assertError(get("/subjects/nobody-value/versions/latest"), 404, 40401);
        assertError(post("/subjects/nobody-value", schemaBody(USER), REGISTRY_JSON), 404, 40401);
    }

    @Test
    void unknownVersionAnswers40402() {
        register("users-value", USER);

        assertError(get("/subjects/users-value/versions/2"), 404, 40402);
    }

    @Test
    void malformedVersionAnswers42202() {
        register("users-value", USER);

        assertError(get("/subjects/users-value/versions/0"), 422, 42202);
        assertError(get("/subjects/users-value/versions/first"), 422, 42202);
    }

    @Test
    void unknownSchemaIdAnswers40403() {
        assertError(get("/schemas/ids/42"), 404, 40403);
        assertError(get("/schemas/ids/42/versions"), 404, 40403);
    }

    @Test
    void invalidAvroSchemaAnswers42201() {
        assertError(register("users-value", "{\"type\": \"record\", \"name\": \"NoFields\"}"), 422, 42201);
        assertError(register("users-value", "{\"type\": \"strin\"}"), 422, 42201);
    }

    @Test
    void nonAvroSchemaTypeAnswers42201() {
        String protobuf = "{\"schemaType\": \"PROTOBUF\", \"schema\": \"syntax = \\\"proto3\\\";\"}";

        assertError(post("/subjects/users-value/versions", protobuf, REGISTRY_JSON), 422, 42201);
    }

    @Test
    void acceptsAnExplicitAvroSchemaTypeAndPlainJsonContentType() {
        String body = "{\"schemaType\": \"AVRO\", \"schema\": " + JSON.valueToTree(USER) + "}";

        Answer answer = post("/subjects/users-value/versions", body, "application/json; charset=utf-8");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("id").asInt()).isEqualTo(1);
    }

    @Test
    void refusesAContentTypeThatIsNotJson() {
        assertError(post("/subjects/users-value/versions", schemaBody(USER), "text/plain"), 415, 415);
    }

    @Test
    void refusesABodyThatIsNotJson() {
        assertError(post("/subjects/users-value/versions", "schema=oops", REGISTRY_JSON), 400, 400);
    }

    @Test
    void subjectNamesArePercentDecoded() {
        register("team%2Fusers+v", USER);

        assertThat(get("/subjects").body()).hasToString("[\"team/users+v\"]");
        assertThat(get("/subjects/team%2Fusers+v/versions/1").body().get("subject").asText()).isEqualTo("team/users+v");
    }

    @Test
    void reportsBackwardCompatibility() {
        Answer answer = get("/config");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void unknownPathAndWrongMethodAnswerInConfluentErrorShape() {
        assertError(get("/nothing/here"), 404, 404);
        assertError(send(HttpRequest.newBuilder(uri("/subjects")).DELETE()), 405, 405);
    }

    @Test
    void listensOnLoopbackAtTheRequestedPort() throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EmbeddedSchemaRegistry fixed = EmbeddedSchemaRegistry.start(port)) {
            assertThat(fixed.url()).isEqualTo(URI.create("http://127.0.0.1:" + port));
        }
    }

    private Answer register(String subject, String schema) {
        return post("/subjects/" + subject + "/versions", schemaBody(schema), REGISTRY_JSON);
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private Answer post(String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
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
        assertThat(answer.status()).isEqualTo(httpStatus);
        assertThat(answer.contentType()).isEqualTo(REGISTRY_JSON);
        assertThat(answer.body().get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(answer.body().get("message").asText()).isNotBlank();
    }
}
