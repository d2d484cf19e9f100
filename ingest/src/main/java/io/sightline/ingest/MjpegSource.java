package io.sightline.ingest;

import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.SourceInfo;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IP camera (or ESP32-CAM, or {@code ffmpeg -f mpjpeg}) serving MJPEG over HTTP. Each part becomes a frame with
 * the arrival time as capture time (a live camera's own clock is rarely set) and is offered to a {@link LiveFeed}; a
 * part that is not an image or too large is handed to the rejection sink and the stream goes on. When the stream is
 * lost (connection refused or closed, silence past the read timeout) it reconnects by itself after a pause that
 * doubles from {@link MjpegSourceConfig#firstBackoff()} to {@link MjpegSourceConfig#maxBackoff()} (and is short
 * again after a stream that delivered frames), until {@link #close()}.
 */
public final class MjpegSource implements LiveSource {

    private static final Logger log = LoggerFactory.getLogger(MjpegSource.class);
    private static final DateTimeFormatter FRAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final MjpegSourceConfig config;
    private final Clock clock;
    private final ImageProbe probe;
    private final LiveLink link = new LiveLink();
    private volatile HttpURLConnection connection;
    private long sequence;

    public MjpegSource(MjpegSourceConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.probe = new ImageProbe(config.limits().maxPixels());
    }

    @Override
    public void run(LiveFeed feed, FrameSink rejections) {
        link.keepOpen(config.cameraId(), config.url().toString(),
                new Backoff(config.firstBackoff(), config.maxBackoff()), () -> sequence, () -> {
                    try {
                        InputStream body = open();
                        link.opened();
                        readParts(body, feed, rejections);
                        return "stream ended";
                    } finally {
                        closeConnection();
                    }
                }, Exception::toString);
    }

    @Override
    public long reconnects() {
        return link.reconnects();
    }

    @Override
    public Duration gap() {
        return link.gap();
    }

    @Override
    public boolean streaming() {
        return link.streaming();
    }

    /** Stops {@link #run} from another thread, cutting a blocked read short. */
    @Override
    public void close() {
        link.stop();
        closeConnection();
    }

    private InputStream open() throws IOException {
        var c = (HttpURLConnection) config.url().toURL().openConnection();
        c.setConnectTimeout((int) config.connectTimeout().toMillis());
        c.setReadTimeout((int) config.readTimeout().toMillis());
        c.setRequestProperty("Accept", "multipart/x-mixed-replace, image/jpeg");
        connection = c;
        if (link.stopped()) {
            throw new IOException("stopped");
        }
        int status = c.getResponseCode();
        if (status != 200) {
            throw new IOException("HTTP " + status + " from " + config.url());
        }
        return new BufferedInputStream(c.getInputStream(), 64 * 1024);
    }

    private void readParts(InputStream body, LiveFeed feed, FrameSink rejections) throws IOException {
        String contentType = Optional.ofNullable(connection.getContentType()).orElse("");
        Optional<String> declared = contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")
                ? MultipartReader.boundaryOf(contentType) : Optional.empty();
        Optional<String> boundary = declared.isPresent() ? declared : MultipartReader.sniffBoundary(body);
        if (boundary.isEmpty()) {
            throw new IOException(config.url() + " answers " + (contentType.isEmpty() ? "no content type"
                    : contentType) + " and its body does not start with a multipart boundary: not an MJPEG stream");
        }
        var parts = new MultipartReader(body, boundary.get(), config.limits().maxPayloadBytes());
        Optional<MultipartReader.Part> part;
        while ((part = parts.next()).isPresent()) {
            Instant arrived = clock.instant();
            link.frameAt(arrived);
            handle(part.get(), arrived, feed, rejections);
        }
    }

    private void handle(MultipartReader.Part part, Instant arrived, LiveFeed feed, FrameSink rejections) {
        long seq = sequence++;
        String frameId = FRAME_TIME.format(arrived) + "-" + seq;
        String origin = config.url() + " part " + seq;
        if (part.oversized()) {
            rejections.rejected(config.cameraId(), frameId, origin, null,
                    RejectedImageException.tooLarge(part.size() + " bytes", config.limits()));
            return;
        }
        try {
            ImageHeader header = probe.probe(part.body());
            feed.offer(Frame.newBuilder()
                    .setCameraId(config.cameraId())
                    .setFrameId(frameId)
                    .setCapturedAt(arrived)
                    .setEncoding(header.encoding())
                    .setWidth(header.width())
                    .setHeight(header.height())
                    .setPayload(ByteBuffer.wrap(part.body()))
                    .setSource(SourceInfo.newBuilder()
                            .setKind("mjpeg")
                            .setUri(config.url().toString())
                            .setSequence(seq)
                            .build())
                    .build());
        } catch (RejectedImageException e) {
            rejections.rejected(config.cameraId(), frameId, origin, part.body(), e);
        }
    }

    private void closeConnection() {
        HttpURLConnection c = connection;
        if (c != null) {
            c.disconnect();
        }
    }
}
