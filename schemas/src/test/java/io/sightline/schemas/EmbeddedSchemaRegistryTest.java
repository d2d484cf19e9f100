package io.sightline.schemas;

import static io.sightline.schemas.RegistryRest.REGISTRY_JSON;
import static io.sightline.schemas.RegistryRest.assertError;
import static io.sightline.schemas.RegistryRest.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.schemas.RegistryRest.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry's REST behaviour, checked with plain HTTP calls as any Confluent-speaking tool would make them. */
class EmbeddedSchemaRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = """
            {"type": "record", "name": "User", "namespace": "test", "fields": [{"name": "name", "type": "string"}]}""";
    private static final String USER_V2 = """
            {"type": "record", "name": "User", "namespace": "test", "fields": [
              {"name": "name", "type": "string"}, {"name": "age", "type": ["null", "int"], "default": null}]}""";

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
    void registeringReturnsAnIdInTheRegistryContentType() {
        Answer answer = rest.register("users-value", USER);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo(REGISTRY_JSON);
        assertThat(answer.body().get("id").asInt()).isEqualTo(1);
    }

    @Test
    void registeringTheSameSchemaAgainReturnsTheSameIdWithoutANewVersion() {
        int first = rest.register("users-value", USER).body().get("id").asInt();
        // Same schema, different whitespace: the registry compares parsed schemas.
        int again = rest.register("users-value", USER.replace(" ", "")).body().get("id").asInt();

        assertThat(again).isEqualTo(first);
        assertThat(rest.get("/subjects/users-value/versions").body()).hasToString("[1]");
    }

    @Test
    void identicalSchemasShareOneIdAcrossSubjects() {
        int inUsers = rest.register("users-value", USER).body().get("id").asInt();
        int inAdmins = rest.register("admins-value", USER).body().get("id").asInt();

        assertThat(inAdmins).isEqualTo(inUsers);
        assertThat(rest.get("/schemas/ids/" + inUsers + "/versions").body()).hasToString(
                "[{\"subject\":\"admins-value\",\"version\":1},{\"subject\":\"users-value\",\"version\":1}]");
    }

    @Test
    void aChangedSchemaBecomesTheSubjectsNextVersionWithANewId() {
        rest.register("users-value", USER);
        int v2Id = rest.register("users-value", USER_V2).body().get("id").asInt();

        JsonNode latest = rest.get("/subjects/users-value/versions/latest").body();
        assertThat(v2Id).isEqualTo(2);
        assertThat(latest.get("subject").asText()).isEqualTo("users-value");
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(2);
        assertThat(new Schema.Parser().parse(latest.get("schema").asText()).getField("age")).isNotNull();
        assertThat(rest.get("/subjects/users-value/versions/1").body().get("id").asInt()).isEqualTo(1);
        assertThat(rest.get("/subjects/users-value/versions/-1").body().get("version").asInt()).isEqualTo(2);
        assertThat(rest.get("/subjects/users-value/versions").body()).hasToString("[1,2]");
    }

    @Test
    void servesSchemasByIdWithOrWithoutASubjectParameter() {
        int id = rest.register("users-value", USER).body().get("id").asInt();

        Answer plain = rest.get("/schemas/ids/" + id);
        Answer withSubject = rest.get("/schemas/ids/" + id + "?subject=users-value");

        assertThat(plain.status()).isEqualTo(200);
        assertThat(new Schema.Parser().parse(plain.body().get("schema").asText()))
                .isEqualTo(new Schema.Parser().parse(USER));
        assertThat(withSubject.body()).isEqualTo(plain.body());
    }

    @Test
    void listsSubjectsInOrder() {
        rest.register("b-value", USER);
        rest.register("a-value", USER);

        assertThat(rest.get("/subjects").body()).hasToString("[\"a-value\",\"b-value\"]");
    }

    @Test
    void lookupFindsTheVersionHoldingASchema() {
        rest.register("users-value", USER);
        rest.register("users-value", USER_V2);

        Answer answer = rest.post("/subjects/users-value", schemaBody(USER), REGISTRY_JSON);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("version").asInt()).isEqualTo(1);
        assertThat(answer.body().get("id").asInt()).isEqualTo(1);
        assertThat(answer.body().get("subject").asText()).isEqualTo("users-value");
    }

    @Test
    void lookupOfASchemaNotInTheSubjectAnswers40403() {
        rest.register("users-value", USER);

        assertError(rest.post("/subjects/users-value", schemaBody(USER_V2), REGISTRY_JSON), 404, 40403);
    }

    @Test
    void unknownSubjectAnswers40401() {
        assertError(rest.get("/subjects/nobody-value/versions"), 404, 40401);
        assertError(rest.get("/subjects/nobody-value/versions/latest"), 404, 40401);
        assertError(rest.post("/subjects/nobody-value", schemaBody(USER), REGISTRY_JSON), 404, 40401);
    }

    @Test
    void unknownVersionAnswers40402() {
        rest.register("users-value", USER);

        assertError(rest.get("/subjects/users-value/versions/2"), 404, 40402);
    }

    @Test
    void malformedVersionAnswers42202() {
        rest.register("users-value", USER);

        assertError(rest.get("/subjects/users-value/versions/0"), 422, 42202);
        assertError(rest.get("/subjects/users-value/versions/first"), 422, 42202);
    }

    @Test
    void unknownSchemaIdAnswers40403() {
        assertError(rest.get("/schemas/ids/42"), 404, 40403);
        assertError(rest.get("/schemas/ids/42/versions"), 404, 40403);
    }

    @Test
    void invalidAvroSchemaAnswers42201() {
        assertError(rest.register("users-value", "{\"type\": \"record\", \"name\": \"NoFields\"}"), 422, 42201);
        assertError(rest.register("users-value", "{\"type\": \"strin\"}"), 422, 42201);
    }

    @Test
    void nonAvroSchemaTypeAnswers42201() {
        String protobuf = "{\"schemaType\": \"PROTOBUF\", \"schema\": \"syntax = \\\"proto3\\\";\"}";

        assertError(rest.post("/subjects/users-value/versions", protobuf, REGISTRY_JSON), 422, 42201);
    }

    @Test
    void acceptsAnExplicitAvroSchemaTypeAndPlainJsonContentType() {
        String body = "{\"schemaType\": \"AVRO\", \"schema\": " + JSON.valueToTree(USER) + "}";

        Answer answer = rest.post("/subjects/users-value/versions", body, "application/json; charset=utf-8");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("id").asInt()).isEqualTo(1);
    }

    @Test
    void refusesAContentTypeThatIsNotJson() {
        assertError(rest.post("/subjects/users-value/versions", schemaBody(USER), "text/plain"), 415, 415);
    }

    @Test
    void refusesABodyThatIsNotJson() {
        assertError(rest.post("/subjects/users-value/versions", "schema=oops", REGISTRY_JSON), 400, 400);
    }

    @Test
    void subjectNamesArePercentDecoded() {
        rest.register("team%2Fusers+v", USER);

        assertThat(rest.get("/subjects").body()).hasToString("[\"team/users+v\"]");
        assertThat(rest.get("/subjects/team%2Fusers+v/versions/1").body().get("subject").asText()).isEqualTo("team/users+v");
    }

    @Test
    void reportsBackwardCompatibility() {
        Answer answer = rest.get("/config");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).hasToString("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void unknownPathAndWrongMethodAnswerInConfluentErrorShape() {
        assertError(rest.get("/nothing/here"), 404, 404);
        assertError(rest.delete("/subjects"), 405, 405);
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
}
