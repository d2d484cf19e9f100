package io.sightline.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** A camera: serves the given images in turn as MJPEG ({@code multipart/x-mixed-replace}) at a frame rate. */
final class MjpegTestServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<byte[]> images;
    private final long frameIntervalMillis;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;

    private MjpegTestServer(int port, List<byte[]> images, int fps) throws IOException {
        this.images = images;
        this.frameIntervalMillis = 1000L / fps;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/stream", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    /** @param port 0 for any free port; the port of a stopped server to play a restarted camera */
    static MjpegTestServer start(int port, List<byte[]> images, int fps) throws IOException {
        return new MjpegTestServer(port, images, fps);
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/stream");
    }

    /** Parts written so far. */
    long sent() {
        return sent.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=frame");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; running; i++) {
                byte[] image = images.get(i % images.size());
                out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + image.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(image);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sent.incrementAndGet();
                Thread.sleep(frameIntervalMillis);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the camera was switched off
        } finally {
            exchange.close();
        }
    }

    /** Like pulling the camera's plug: open streams are cut. */
    @Override
    public void close() {
        running = false;
        server.stop(0);
        executor.shutdownNow();
    }
}
