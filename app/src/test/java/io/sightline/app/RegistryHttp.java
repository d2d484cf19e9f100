package io.sightline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to a Confluent-compatible registry, as any tool would make them. */
final class RegistryHttp {
    static final String REGISTRY_JSON = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Answer(int status, JsonNode body) {
    }

    private RegistryHttp() {
    }

    static int register(URI registry, String subject, String schema) {
        Answer answer = tryRegister(registry, subject, schema);
        if (answer.status() != 200) {
            throw new AssertionError("registering under " + subject + " answered " + answer);
        }
        return answer.body().get("id").asInt();
    }

    /** Registers without insisting: the answer may be a refusal. */
    static Answer tryRegister(URI registry, String subject, String schema) {
        return send(HttpRequest.newBuilder(registry.resolve("/subjects/" + subject + "/versions"))
                .header("Content-Type", REGISTRY_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("schema", schema).toString())));
    }

    static Answer put(URI registry, String path, String body) {
        return send(HttpRequest.newBuilder(registry.resolve(path))
                .header("Content-Type", REGISTRY_JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    static Answer get(URI registry, String path) {
        return send(HttpRequest.newBuilder(registry.resolve(path)).GET());
    }

    /** The body of a GET that must succeed. */
    static JsonNode ok(URI registry, String path) {
        Answer answer = get(registry, path);
        if (answer.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + answer);
        }
        return answer.body();
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new AssertionError("request to registry failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
