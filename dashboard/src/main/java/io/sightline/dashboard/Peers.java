package io.sightline.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.state.HostInfo;

/** The HTTP hop to another dashboard instance that owns a camera's partition (its {@code application.server}). */
final class Peers {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String scheme;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param scheme     how instances serve (http, or https with a keystore)
     * @param tlsContext trusts the instances' certificates, when they serve https
     */
    Peers(String scheme, Optional<SSLContext> tlsContext) {
        this.scheme = scheme;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
        tlsContext.ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /** Answers {@code ctx} with the owner's answer to the same request: status, type, body. */
    void relay(Context ctx, HostInfo owner) throws InterruptedException {
        HttpResponse<byte[]> response = send(owner, ctx, ctx.path(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
        for (String header : new String[] {StoreRouting.INSTANCE_HEADER, "X-Frame-Id", "X-Event-Id", "Cache-Control"}) {
            response.headers().firstValue(header).ifPresent(value -> ctx.header(header, value));
        }
        ctx.status(response.statusCode()).result(response.body());
    }

    /** The owner's JSON array for the same request, from its local stores only. */
    JsonNode getJson(HostInfo owner, Context ctx) throws InterruptedException {
        HttpResponse<String> response = send(owner, ctx, ctx.path(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new PeerUnreachable(owner + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new PeerUnreachable(owner + " answered with malformed JSON: " + e.getMessage());
        }
    }

    /** Sends the request {@code ctx} answers to the owner, with the same credentials. */
    private <T> HttpResponse<T> send(HostInfo owner, Context ctx, String path, HttpResponse.BodyHandler<T> body)
            throws InterruptedException {
        String query = ctx.queryString();
        String forwarded = (query == null || query.isBlank() ? "" : query + "&") + "local=true";
        URI uri = URI.create(scheme + "://" + owner.host() + ":" + owner.port() + path + "?" + forwarded);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        String authorization = ctx.header(Header.AUTHORIZATION);
        if (authorization != null) {
            request.header(Header.AUTHORIZATION, authorization);
        }
        try {
            return http.send(request.build(), body);
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
