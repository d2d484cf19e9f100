package io.sightline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to a registry, as any Confluent-speaking tool makes them, for tests of the REST behaviour. */
final class RegistryRest {
    static final String REGISTRY_JSON = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;

    /** An answer: HTTP status, Content-Type header and JSON body. */
    record Answer(int status, String contentType, JsonNode body) {
    }

    RegistryRest(URI base) {
        this.base = base;
    }

    Answer register(String subject, String schema) {
        return post("/subjects/" + subject + "/versions", schemaBody(schema));
    }

    static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Answer post(String path, String body) {
        return post(path, body, REGISTRY_JSON);
    }

    Answer post(String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer put(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", REGISTRY_JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** A Confluent-shaped error: the status, our content type, the error code and a message. */
    static void assertError(Answer answer, int httpStatus, int errorCode) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(httpStatus);
        assertThat(answer.contentType()).isEqualTo(REGISTRY_JSON);
        assertThat(answer.body().get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(answer.body().get("message").asText()).isNotBlank();
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new AssertionError("request to the registry failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
