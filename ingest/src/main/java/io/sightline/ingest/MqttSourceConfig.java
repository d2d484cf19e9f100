package io.sightline.ingest;

import io.sightline.schemas.FrameLimits;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of an MQTT source.
 *
 * @param broker       {@code tcp://host:1883} or {@code ssl://host:8883}
 * @param topicFilter  what to subscribe to, e.g. {@code cameras/+/#}
 * @param cameraId     camera of every message; when empty, the topic level the filter's first {@code +} matches
 *                     ({@code cameras/door/frame} → {@code door})
 * @param attachWindow readings are attached to the camera's frame nearest in time within this window; 0 publishes
 *                     every reading on its own and frames at once
 * @param fps          most frames per second per camera; 0 for no limit
 * @param limits       a payload larger than {@link FrameLimits#maxPayloadBytes()} is rejected as TOO_LARGE
 */
public record MqttSourceConfig(URI broker, String topicFilter, Optional<String> cameraId, Duration attachWindow,
        double fps, FrameLimits limits) {

    public static final Duration DEFAULT_ATTACH_WINDOW = Duration.ofSeconds(2);

    public MqttSourceConfig {
        String scheme = broker.getScheme() == null ? "" : broker.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of("tcp", "ssl", "mqtt", "mqtts").contains(scheme) || broker.getHost() == null) {
            throw new IllegalArgumentException("MQTT broker URL must be tcp://HOST:PORT (or ssl://, mqtt://, "
                    + "mqtts://), got " + broker);
        }
        if (topicFilter == null || topicFilter.isBlank()) {
            throw new IllegalArgumentException("--topic must name what to subscribe to, e.g. cameras/+/#");
        }
        cameraId.ifPresent(DirectorySourceConfig::requireValidCameraId);
        if (cameraId.isEmpty() && cameraLevel(topicFilter) < 0) {
            throw new IllegalArgumentException("topic filter '" + topicFilter + "' has no + level to take the "
                    + "camera id from: use e.g. cameras/+/# or give --camera");
        }
        if (attachWindow.isNegative()) {
            throw new IllegalArgumentException("--attach-window must be 0 or more, got " + attachWindow);
        }
        if (fps < 0 || Double.isNaN(fps) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be positive (or 0 for no limit), got " + fps);
        }
        Objects.requireNonNull(limits, "limits");
    }

    /** The URL Paho takes: mqtt:// is tcp://, mqtts:// is ssl://; 1883 (8883 for TLS) when no port is given. */
    String pahoUrl() {
        String scheme = broker.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("ssl") || scheme.equals("mqtts");
        int port = broker.getPort() > 0 ? broker.getPort() : tls ? 8883 : 1883;
        return (tls ? "ssl" : "tcp") + "://" + broker.getHost() + ":" + port;
    }

    /** Index of the topic level holding the camera id: the filter's first + (-1 when it has none). */
    static int cameraLevel(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("+")) {
                return i;
            }
        }
        return -1;
    }
}
