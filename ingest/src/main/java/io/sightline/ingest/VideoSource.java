package io.sightline.ingest;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.SourceInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the pictures of a video file as JPEG {@link Frame} records, decoded with FFmpeg. A frame's capture time is
 * the start time plus its stream timestamp, so frames keep the spacing they were recorded with; the fps limit keeps
 * one frame per interval of stream time (25 fps limited to 5 keeps every fifth). A file FFmpeg cannot open, or whose
 * decoding breaks off, is reported to the sink as rejected and in the report, after the frames decoded before the
 * break were published.
 */
public final class VideoSource {

    private static final Logger log = LoggerFactory.getLogger(VideoSource.class);
    /** A stream that ends this much before its declared length was cut off. */
    private static final long TRUNCATION_TOLERANCE_MICROS = TimeUnit.SECONDS.toMicros(1);

    private final VideoSourceConfig config;
    private volatile long positionMicros;
    private volatile long lengthMicros;
    private volatile long published;
    private volatile long skippedSoFar;

    public VideoSource(VideoSourceConfig config) {
        this.config = config;
    }

    /** Decodes the whole file once, handing each kept frame to the sink. */
    public VideoReport publish(FrameSink sink) throws IOException {
        FfmpegDecoding decoding = new FfmpegDecoding();
        String origin = config.file().getFileName().toString();
        long decoded = 0;
        long skipped = 0;
        long rejected = 0;
        try (var grabber = new FFmpegFrameGrabber(config.file().toFile())) {
            try {
                grabber.start();
            } catch (FrameGrabber.Exception e) {
                return rejectWhole(sink, origin, DeadLetterReason.UNSUPPORTED_FORMAT,
                        "FFmpeg cannot open it as a video: " + FfmpegDecoding.describe(e));
            }
            if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0) {
                return rejectWhole(sink, origin, DeadLetterReason.UNSUPPORTED_FORMAT, "no video stream in it");
            }
            lengthMicros = Math.max(0, grabber.getLengthInTime());
            Instant start = startTime(grabber);
            long intervalMicros = config.fps() == 0 ? 0 : (long) (TimeUnit.SECONDS.toMicros(1) / config.fps());
            long nextDueMicros = Long.MIN_VALUE;
            long lastMillis = Long.MIN_VALUE;
            long sequence = 0;
            while (true) {
                org.bytedeco.javacv.Frame picture;
                try {
                    picture = grabber.grabImage();
                } catch (FrameGrabber.Exception e) {
                    return breakOff(sink, origin, decoded, skipped, rejected, "decoding stopped after "
                            + decoded + " frames: " + FfmpegDecoding.describe(e));
                }
                if (picture == null) {
                    break;
                }
                decoded++;
                long ts = picture.timestamp;
                positionMicros = ts;
                long capturedMillis = start.toEpochMilli() + TimeUnit.MICROSECONDS.toMillis(ts);
                if ((intervalMicros > 0 && nextDueMicros != Long.MIN_VALUE && ts < nextDueMicros)
                        || capturedMillis <= lastMillis) { // over the fps limit, or no later than the one before
                    skippedSoFar = ++skipped;
                    continue;
                }
                nextDueMicros = nextDue(nextDueMicros, ts, intervalMicros);
                lastMillis = capturedMillis;
                long seq = sequence++;
                String frameId = String.format("%s-%06d", origin, seq);
                byte[] jpeg = decoding.jpeg(picture);
                if (!config.limits().fitsPayload(jpeg.length)) {
                    sink.rejected(config.cameraId(), frameId, origin + " at " + ts / 1000 + " ms", jpeg,
                            RejectedImageException.tooLarge(jpeg.length + " bytes of JPEG", config.limits()));
                    rejected++;
                    continue;
                }
                sink.frame(frame(frameId, seq, Instant.ofEpochMilli(capturedMillis), picture, jpeg));
                published++;
            }
            if (lengthMicros > 0 && decoded > 0 && positionMicros < lengthMicros - TRUNCATION_TOLERANCE_MICROS) {
                return breakOff(sink, origin, decoded, skipped, rejected, "the stream ends at "
                        + positionMicros / 1000 + " ms of " + lengthMicros / 1000 + " ms: the file is truncated");
            }
            if (decoded == 0) {
                return rejectWhole(sink, origin, DeadLetterReason.IMAGE_DECODE, "not one frame could be decoded");
            }
        }
        return new VideoReport(decoded, published, skipped, rejected, Optional.empty());
    }

    /** Stream time decoded so far. */
    public Duration position() {
        return Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(positionMicros));
    }

    /** The stream's length as the container declares it; zero until opened or when unknown. */
    public Duration length() {
        return Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(lengthMicros));
    }

    /** Frames handed to the sink so far. */
    public long published() {
        return published;
    }

    /** Frames decoded but skipped by the fps limit so far. */
    public long skipped() {
        return skippedSoFar;
    }

    public VideoSourceConfig config() {
        return config;
    }

    /** On a grid of the interval, so the kept frames do not drift when the stream's rate is not a multiple. */
    private static long nextDue(long due, long ts, long intervalMicros) {
        if (intervalMicros == 0) {
            return Long.MIN_VALUE;
        }
        long next = due == Long.MIN_VALUE ? ts + intervalMicros : due + intervalMicros;
        return next <= ts ? ts + intervalMicros : next;
    }

    private Instant startTime(FFmpegFrameGrabber grabber) throws IOException {
        if (config.startTime().isPresent()) {
            return config.startTime().get();
        }
        String created = grabber.getFormatContext() == null ? null : grabber.getMetadata("creation_time");
        if (created != null) {
            try {
                return Instant.parse(created);
            } catch (DateTimeParseException e) {
                log.info("{}: creation_time '{}' is not ISO-8601; using the file's time", config.file(), created);
            }
        }
        return Files.getLastModifiedTime(config.file()).toInstant();
    }

    private Frame frame(String frameId, long sequence, Instant capturedAt, org.bytedeco.javacv.Frame picture,
            byte[] jpeg) {
        return Frame.newBuilder()
                .setCameraId(config.cameraId())
                .setFrameId(frameId)
                .setCapturedAt(capturedAt)
                .setEncoding(ImageEncoding.JPEG)
                .setWidth(picture.imageWidth)
                .setHeight(picture.imageHeight)
                .setPayload(ByteBuffer.wrap(jpeg))
                .setSource(SourceInfo.newBuilder()
                        .setKind("video")
                        .setUri(config.file().toUri().toString())
                        .setSequence(sequence)
                        .build())
                .build();
    }

    /** The file's bytes are not kept in the dead letter: a video is far larger than a record. */
    private VideoReport rejectWhole(FrameSink sink, String origin, DeadLetterReason reason, String message) {
        sink.rejected(config.cameraId(), origin, origin, null, new RejectedImageException(reason, message));
        return new VideoReport(0, 0, 0, 1, Optional.of(origin + ": " + message));
    }

    private VideoReport breakOff(FrameSink sink, String origin, long decoded, long skipped, long rejected,
            String message) {
        sink.rejected(config.cameraId(), origin, origin, null, new RejectedImageException(
                DeadLetterReason.IMAGE_DECODE, message));
        return new VideoReport(decoded, published, skipped, rejected + 1, Optional.of(origin + ": " + message));
    }

    /** How far the video is: frames sent, seconds of stream time, percent of its length when known. */
    public String progressLine() {
        long done = position().toMillis();
        long length = length().toMillis();
        return length > 0
                ? String.format("%s: %d frames sent, %.1f of %.1f s (%d%%)", config().file().getFileName(),
                        published(), done / 1000.0, length / 1000.0, Math.min(100, done * 100 / length))
                : String.format("%s: %d frames sent, %.1f s", config().file().getFileName(),
                        published(), done / 1000.0);
    }
}
