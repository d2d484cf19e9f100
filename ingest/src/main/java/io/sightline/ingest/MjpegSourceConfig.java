package io.sightline.ingest;

import io.sightline.schemas.FrameLimits;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of an MJPEG-over-HTTP camera.
 *
 * @param url            the camera's stream, answering {@code multipart/x-mixed-replace}
 * @param cameraId       key of its frames
 * @param limits         a part larger than {@link FrameLimits#maxPayloadBytes()} is rejected as TOO_LARGE
 * @param firstBackoff   pause before the first reconnect; doubles with each failed attempt
 * @param maxBackoff     longest pause between reconnects
 * @param connectTimeout how long a connection attempt may take
 * @param readTimeout    how long the stream may stay silent before it counts as lost
 */
public record MjpegSourceConfig(URI url, String cameraId, FrameLimits limits, Duration firstBackoff,
        Duration maxBackoff, Duration connectTimeout, Duration readTimeout) {

    public static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    public MjpegSourceConfig {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("MJPEG URL must be http:// or https://, got " + url);
        }
        DirectorySourceConfig.requireValidCameraId(cameraId);
        Objects.requireNonNull(limits, "limits");
        requirePositive("firstBackoff", firstBackoff);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("readTimeout", readTimeout);
        if (maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below firstBackoff " + firstBackoff);
        }
    }

    /** Reconnects after 0.5 s, 1 s, 2 s … up to 30 s; 5 s to connect, 10 s of silence and the stream is lost. */
    public static MjpegSourceConfig of(URI url, String cameraId, FrameLimits limits) {
        return new MjpegSourceConfig(url, cameraId, limits, FIRST_BACKOFF, MAX_BACKOFF, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }

    public MjpegSourceConfig withBackoff(Duration first, Duration max) {
        return new MjpegSourceConfig(url, cameraId, limits, first, max, connectTimeout, readTimeout);
    }

    private static void requirePositive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
