package io.sightline.ingest;

import java.util.Optional;

/**
 * What one camera of a camera list did.
 *
 * @param published  frames handed to the sink
 * @param skipped    frames left out (fps limit, newer frame waiting, non-image files)
 * @param rejected   inputs sent to the dead-letter topic
 * @param reconnects times a live stream was opened again after it was lost
 * @param state      disabled, running, streaming, reconnecting, done or failed
 * @param failure    why the camera stopped, when it failed
 */
public record CameraResult(CameraSpec camera, long published, long skipped, long rejected, long reconnects,
        String state, Optional<String> failure) {}
