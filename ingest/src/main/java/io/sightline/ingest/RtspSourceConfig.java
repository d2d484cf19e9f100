package io.sightline.ingest;

import io.sightline.schemas.FrameLimits;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of an RTSP camera.
 *
 * @param url          {@code rtsp://[user:password@]host[:port]/path}
 * @param cameraId     key of its frames
 * @param transport    how RTP reaches us: TCP (interleaved in the RTSP connection; passes NAT and firewalls, no
 *                     lost packets) or UDP (lower latency, pictures break up when packets are lost)
 * @param limits       a frame whose JPEG is larger than {@link FrameLimits#maxPayloadBytes()} is rejected as TOO_LARGE
 * @param firstBackoff pause before the first reconnect; doubles with each failed attempt
 * @param maxBackoff   longest pause between reconnects
 * @param timeout      how long connecting, or the stream staying silent, may take before it counts as lost
 */
public record RtspSourceConfig(URI url, String cameraId, Transport transport, FrameLimits limits,
        Duration firstBackoff, Duration maxBackoff, Duration timeout) {

    public enum Transport { TCP, UDP }

    public RtspSourceConfig {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("rtsp") && !scheme.equals("rtsps")) {
            throw new IllegalArgumentException("RTSP URL must be rtsp:// or rtsps://, got " + url);
        }
        DirectorySourceConfig.requireValidCameraId(cameraId);
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(limits, "limits");
        Backoff.requireValid(firstBackoff, maxBackoff);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** Reconnects after 0.5 s, 1 s, 2 s … up to 30 s; 5 s to connect or of silence and the stream is lost. */
    public static RtspSourceConfig of(URI url, String cameraId, Transport transport, FrameLimits limits) {
        return new RtspSourceConfig(url, cameraId, transport, limits, MjpegSourceConfig.FIRST_BACKOFF,
                MjpegSourceConfig.MAX_BACKOFF, Duration.ofSeconds(5));
    }

    public RtspSourceConfig withBackoff(Duration first, Duration max) {
        return new RtspSourceConfig(url, cameraId, transport, limits, first, max, timeout);
    }

    /** The URL without its password, for log lines and records. */
    public String safeUrl() {
        return withoutCredentials(url);
    }

    public static String withoutCredentials(URI url) {
        return url.getRawUserInfo() == null ? url.toString() : url.toString().replace(url.getRawUserInfo() + "@", "");
    }
}
