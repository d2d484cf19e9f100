package io.sightline.ingest;

import io.sightline.schemas.avro.ImageEncoding;

/** What a file's first bytes say it is: its encoding and pixel size. Nothing is decoded to learn it. */
public record ImageHeader(ImageEncoding encoding, int width, int height) {

    public ImageHeader {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
    }
}
