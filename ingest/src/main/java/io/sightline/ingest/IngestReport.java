package io.sightline.ingest;

/**
 * What one pass of a source did.
 *
 * @param published frames sent to the frames topic
 * @param rejected  files sent to the dead-letter topic instead
 * @param skipped   files ignored because their names do not look like images (README, hidden files ...)
 */
public record IngestReport(int published, int rejected, int skipped) {

    public int candidates() {
        return published + rejected;
    }
}
