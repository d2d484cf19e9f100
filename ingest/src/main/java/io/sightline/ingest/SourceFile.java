package io.sightline.ingest;

import java.nio.file.Path;
import java.time.Instant;

/** One image file found by a directory source, with the camera and frame it becomes and when it was taken. */
public record SourceFile(Path path, String cameraId, String frameId, long sequence, Instant capturedAt) {}
