package io.sightline.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The pages connected to {@code /api/stream}; every broadcast goes to each of them as one named Server-Sent Event. */
final class SseHub implements AutoCloseable {

    private final List<SseClient> clients = new CopyOnWriteArrayList<>();

    void add(SseClient client) {
        clients.add(client);
        client.onClose(() -> clients.remove(client));
        client.sendComment("connected");
    }

    void broadcast(String event, JsonNode data) {
        String text = data.toString();
        for (SseClient client : clients) {
            if (client.terminated()) {
                clients.remove(client);
                continue;
            }
            try {
                client.sendEvent(event, text);
            } catch (RuntimeException e) {
                clients.remove(client); // the page went away mid-write
            }
        }
    }

    int size() {
        return clients.size();
    }

    @Override
    public void close() {
        clients.forEach(SseClient::close);
        clients.clear();
    }
}
