package io.sightline.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reading a Prometheus endpoint in tests. */
final class Scrapes {

    private Scrapes() {}

    /** The metrics text, or null while the endpoint is not up. */
    static String scrape(URI uri) throws InterruptedException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The sum of every sample whose line starts with {@code prefix} (a name, or a name and some labels). */
    static double sum(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** A port free now on this machine, for a command's --metrics-port. */
    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Where a command given --metrics-port PORT serves its meters. */
    static URI metricsUrl(int port) {
        return URI.create("http://127.0.0.1:" + port + "/metrics");
    }
}
