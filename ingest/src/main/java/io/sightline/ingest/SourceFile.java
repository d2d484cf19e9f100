package io.sightline.ingest;

import java.nio.file.Path;

/** One image file found by a directory source, with the camera and frame it becomes. */
public record SourceFile(Path path, String cameraId, String frameId, long sequence) {}
