package io.sightline.ingest;

import io.sightline.schemas.FrameLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a video file source.
 *
 * @param file      an MP4, MKV, AVI (anything FFmpeg opens)
 * @param cameraId  key of its frames; {@link #of} derives it from the file name
 * @param startTime capture time of the stream's time 0; empty: the container's {@code creation_time}, else the
 *                  file's modification time
 * @param fps       most frames per second of stream time; 0 keeps every decoded frame
 * @param limits    a frame whose JPEG is larger than {@link FrameLimits#maxPayloadBytes()} is rejected as TOO_LARGE
 */
public record VideoSourceConfig(Path file, String cameraId, Optional<Instant> startTime, double fps,
        FrameLimits limits) {

    public VideoSourceConfig {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("video file " + file + " does not exist or is not a file");
        }
        DirectorySourceConfig.requireValidCameraId(cameraId);
        Objects.requireNonNull(startTime, "startTime");
        if (fps < 0 || Double.isNaN(fps) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be positive (or 0 for no limit), got " + fps);
        }
        Objects.requireNonNull(limits, "limits");
    }

    /** The camera is named after the file ({@code lobby-2026-11-30.mp4} → {@code lobby-2026-11-30}) unless given. */
    public static VideoSourceConfig of(Path file, Optional<String> cameraId, Optional<Instant> startTime, double fps,
            FrameLimits limits) {
        return new VideoSourceConfig(file, cameraId.orElseGet(() -> cameraOf(file)), startTime, fps, limits);
    }

    /** The file's name without its extension, characters a camera id cannot hold replaced by '_'. */
    static String cameraOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]", "_");
        return stem.length() > 128 ? stem.substring(0, 128) : stem;
    }
}
