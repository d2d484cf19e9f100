package io.sightline.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/** The HTTP hop to another dashboard instance that owns a camera's partition (its {@code application.server}). */
final class Peers {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** Answers {@code ctx} with the owner's answer to the same request: status, type, body. */
    void relay(Context ctx, HostInfo owner) throws InterruptedException {
        HttpResponse<byte[]> response = send(owner, ctx.path(), ctx.queryString(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
        for (String header : new String[] {StoreRouting.INSTANCE_HEADER, "X-Frame-Id", "X-Event-Id", "Cache-Control"}) {
            response.headers().firstValue(header).ifPresent(value -> ctx.header(header, value));
        }
        ctx.status(response.statusCode()).result(response.body());
    }

    /** The owner's JSON array for the same path, from its local stores only. */
    JsonNode getJson(HostInfo owner, String path, String query) throws InterruptedException {
        HttpResponse<String> response = send(owner, path, query, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new PeerUnreachable(owner + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new PeerUnreachable(owner + " answered with malformed JSON: " + e.getMessage());
        }
    }

    private <T> HttpResponse<T> send(HostInfo owner, String path, String query, HttpResponse.BodyHandler<T> body)
            throws InterruptedException {
        String forwarded = (query == null || query.isBlank() ? "" : query + "&") + "local=true";
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + path + "?" + forwarded);
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), body);
        } catch (IOException e) {
            throw new PeerUnreachable("dashboard instance " + owner.host() + ":" + owner.port()
                    + " owning this camera did not answer: " + e.getMessage());
        }
    }

    static final class PeerUnreachable extends RuntimeException {
        PeerUnreachable(String message) {
            super(message);
        }
    }
}
