package io.sightline.ingest;

import java.util.Optional;

/**
 * What one pass over a video file did.
 *
 * @param decoded   pictures FFmpeg decoded
 * @param published frames handed to the sink
 * @param skipped   pictures left out by the fps limit (or not later than the one before)
 * @param rejected  frames too large, plus the file itself when it could not be opened or its decoding broke off
 * @param failure   why the file was rejected, when it was
 */
public record VideoReport(long decoded, long published, long skipped, long rejected, Optional<String> failure) {}
