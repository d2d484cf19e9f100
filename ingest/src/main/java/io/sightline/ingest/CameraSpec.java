package io.sightline.ingest;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One camera of a camera list.
 *
 * @param id       camera id, the key of its frames
 * @param kind     what its source is, from the source's form
 * @param source   URL of a live camera, or a folder or video file (relative paths resolved against the list's folder)
 * @param fps      most frames per second; 0 for no limit (a folder is then published as fast as Kafka takes it)
 * @param pipeline name of the processing pipeline its frames are meant for; carried, not interpreted by ingest
 * @param enabled  a disabled camera is listed in the summary but not read
 */
public record CameraSpec(String id, Kind kind, String source, double fps, Optional<String> pipeline,
        boolean enabled) {

    public enum Kind {
        DIR(false), VIDEO(false), MJPEG(true), RTSP(true);

        private final boolean live;

        Kind(boolean live) {
            this.live = live;
        }

        /** A live camera streams until stopped; a folder or a video ends. */
        public boolean live() {
            return live;
        }
    }

    public URI url() {
        return URI.create(source);
    }

    public Path path() {
        return Path.of(source);
    }
}
