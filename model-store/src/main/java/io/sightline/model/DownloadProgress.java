package io.sightline.model;

/** Told how far a model download is, after every chunk. */
@FunctionalInterface
public interface DownloadProgress {

    DownloadProgress NONE = (bytes, total) -> {};

    /** @param total the length the server announced, or -1 when it did not */
    void update(long bytes, long total);
}
