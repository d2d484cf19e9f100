package io.sightline.app;

import picocli.CommandLine.Option;

/** Options every `ingest` source takes besides the cluster's. */
final class IngestOptions {

    @Option(names = "--camera", paramLabel = "ID",
            description = "Camera id (the frames' key); for `dir`, of the top-level images (default: default).")
    String camera;

    @Option(names = "--fps", paramLabel = "F", defaultValue = "0",
            description = "Most frames per second per camera; `dir` paces publishing at F (default: no limit).")
    double fps;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    double fps() {
        if (fps < 0 || Double.isNaN(fps) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("--fps must be a positive number (or 0 for no limit), got " + fps);
        }
        return fps;
    }
}
