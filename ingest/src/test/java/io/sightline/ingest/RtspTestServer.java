package io.sightline.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GStreamer's RTSP server (gst-rtsp-server through python3-gi, installed by .ci/run) streaming an H.264 MP4 file in
 * real time at rtsp://127.0.0.1:PORT/cam, in a process of its own so a test can kill and restart it.
 */
public final class RtspTestServer implements AutoCloseable {

    /** Debian's Python, where python3-gi lives (not a pyenv or venv python3 earlier on the PATH). */
    private static final String PYTHON = "/usr/bin/python3";

    private final Process process;
    private final int port;

    private RtspTestServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @param port 0 for a free one */
    public static RtspTestServer start(int port, Path h264Mp4) throws IOException, InterruptedException {
        Path script = Files.createTempFile("rtsp-server", ".py");
        try (InputStream in = RtspTestServer.class.getResourceAsStream("/rtsp-server.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process process = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(port), "/cam",
                h264Mp4.toString()).redirectErrorStream(true).start();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("ready ")) {
                        return line;
                    }
                    seen.append(line).append('\n');
                }
            } catch (IOException e) {
                seen.append(e);
            }
            throw new IllegalStateException("the RTSP test server did not start (needs python3-gi, "
                    + "gir1.2-gst-rtsp-server-1.0 and gstreamer1.0-plugins-good: see .ci/run):\n" + seen);
        });
        try {
            int bound = Integer.parseInt(ready.get(30, TimeUnit.SECONDS).substring("ready ".length()).strip());
            CompletableFuture.runAsync(() -> drain(reader));
            return new RtspTestServer(process, bound);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException(e.getCause() != null ? e.getCause().getMessage() : e.toString(), e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "rtsp://127.0.0.1:" + port + "/cam";
    }

    /** Kills the server as a crash or a power cut would. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private static void drain(BufferedReader reader) {
        try {
            while (reader.readLine() != null) {
                // GStreamer's messages; kept out of the test output
            }
        } catch (IOException e) {
            // the server was killed
        }
    }
}
