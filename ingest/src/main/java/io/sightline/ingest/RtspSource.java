package io.sightline.ingest;

import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.SourceInfo;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTSP camera (H.264 or anything else FFmpeg decodes), read with FFmpeg. Each decoded picture becomes a JPEG frame
 * with the arrival time as capture time (a live camera's clock is rarely set) and is offered to a {@link LiveFeed}, so
 * a slow publisher gets the newest picture; a picture whose JPEG is too large is handed to the rejection sink. When
 * the stream is lost (refused, closed, silent past the timeout, undecodable) it reconnects by itself after a pause
 * that doubles from {@link RtspSourceConfig#firstBackoff()} to {@link RtspSourceConfig#maxBackoff()}, until
 * {@link #close()}.
 */
public final class RtspSource implements LiveSource {

    private static final Logger log = LoggerFactory.getLogger(RtspSource.class);
    private static final DateTimeFormatter FRAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final RtspSourceConfig config;
    private final Clock clock;
    private final LiveLink link = new LiveLink();
    private long sequence;

    public RtspSource(RtspSourceConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void run(LiveFeed feed, FrameSink rejections) {
        FfmpegDecoding decoding = new FfmpegDecoding();
        link.keepOpen(config.cameraId(), config.safeUrl(), new Backoff(config.firstBackoff(), config.maxBackoff()),
                () -> sequence, () -> {
                    try (var grabber = grabber()) {
                        grabber.start();
                        link.opened();
                        read(grabber, decoding, feed, rejections);
                        return "stream ended";
                    }
                }, FfmpegDecoding::describe);
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

    /**
     * Ends {@link #run} after the picture being read, at the latest after the timeout: FFmpeg's blocking read cannot
     * be cut short safely from another thread.
     */
    @Override
    public void close() {
        link.stop();
    }

    private FFmpegFrameGrabber grabber() {
        var grabber = new FFmpegFrameGrabber(config.url().toString());
        grabber.setFormat("rtsp");
        grabber.setOption("rtsp_transport", config.transport().name().toLowerCase(Locale.ROOT));
        grabber.setOption("timeout", Long.toString(TimeUnit.MILLISECONDS.toMicros(config.timeout().toMillis())));
        return grabber;
    }

    private void read(FFmpegFrameGrabber grabber, FfmpegDecoding decoding, LiveFeed feed, FrameSink rejections)
            throws FrameGrabber.Exception {
        org.bytedeco.javacv.Frame picture;
        while (!link.stopped() && (picture = grabber.grabImage()) != null) {
            Instant arrived = clock.instant();
            link.frameAt(arrived);
            if (!feed.dueNow()) {
                sequence++;
                feed.skipOverFps(); // not encoded: JPEG encoding is the costly part of a frame
                continue;
            }
            handle(picture, decoding.jpeg(picture), arrived, feed, rejections);
        }
    }

    private void handle(org.bytedeco.javacv.Frame picture, byte[] jpeg, Instant arrived, LiveFeed feed,
            FrameSink rejections) {
        long seq = sequence++;
        String frameId = FRAME_TIME.format(arrived) + "-" + seq;
        if (!config.limits().fitsPayload(jpeg.length)) {
            rejections.rejected(config.cameraId(), frameId, config.safeUrl() + " picture " + seq, jpeg,
                    RejectedImageException.tooLarge(jpeg.length + " bytes of JPEG", config.limits()));
            return;
        }
        feed.offer(Frame.newBuilder()
                .setCameraId(config.cameraId())
                .setFrameId(frameId)
                .setCapturedAt(arrived)
                .setEncoding(ImageEncoding.JPEG)
                .setWidth(picture.imageWidth)
                .setHeight(picture.imageHeight)
                .setPayload(ByteBuffer.wrap(jpeg))
                .setSource(SourceInfo.newBuilder()
                        .setKind("rtsp")
                        .setUri(config.safeUrl())
                        .setSequence(seq)
                        .build())
                .build());
    }
}
