package io.sightline.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings of a directory source.
 *
 * @param directory     folder to read; image files at its top level belong to {@code cameraId}, files in a
 *                      sub-folder to a camera named after that sub-folder
 * @param cameraId      camera of the top-level files; defaults to {@value #DEFAULT_CAMERA}
 * @param maxFrameBytes largest file published as a frame
 * @param maxPixels     largest width × height published as a frame
 */
public record DirectorySourceConfig(Path directory, Optional<String> cameraId, int maxFrameBytes, int maxPixels) {

    public static final String DEFAULT_CAMERA = "default";
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_MAX_PIXELS = 40_000_000;
    private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public DirectorySourceConfig {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("input directory " + directory + " does not exist or is not a directory");
        }
        cameraId.ifPresent(DirectorySourceConfig::requireValidCameraId);
        if (maxFrameBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("maxFrameBytes and maxPixels must be positive");
        }
    }

    public static DirectorySourceConfig of(Path directory, Optional<String> cameraId) {
        return new DirectorySourceConfig(directory, cameraId, DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_PIXELS);
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
