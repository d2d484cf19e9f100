package io.sightline.ingest;

import io.sightline.schemas.FrameLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of a directory source.
 *
 * @param directory     folder to read; image files at its top level belong to {@code cameraId}, files in a
 *                      sub-folder to a camera named after that sub-folder
 * @param cameraId      camera of the top-level files; defaults to {@value #DEFAULT_CAMERA}
 * @param limits        largest file ({@link FrameLimits#maxPayloadBytes()}) and image ({@link FrameLimits#maxPixels()})
 *                      published as a frame; larger ones become TOO_LARGE dead letters
 */
public record DirectorySourceConfig(Path directory, Optional<String> cameraId, FrameLimits limits) {

    public static final String DEFAULT_CAMERA = "default";
    private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public DirectorySourceConfig {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("input directory " + directory + " does not exist or is not a directory");
        }
        cameraId.ifPresent(DirectorySourceConfig::requireValidCameraId);
        Objects.requireNonNull(limits, "limits");
    }

    /** With the default limits; use the constructor with limits read from the cluster when publishing to one. */
    public static DirectorySourceConfig of(Path directory, Optional<String> cameraId) {
        return new DirectorySourceConfig(directory, cameraId, FrameLimits.defaults());
    }

    public String topLevelCamera() {
        return cameraId.orElse(DEFAULT_CAMERA);
    }

    static void requireValidCameraId(String id) {
        if (!CAMERA_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("camera id '" + id + "' must be 1-128 characters of A-Z a-z 0-9 . _ -");
        }
    }
}
