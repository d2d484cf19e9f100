package io.sightline.udf;

/** How a frame's or an annotated image's bytes are laid out. */
public enum ImageEncoding {
    JPEG,
    PNG,
    /** Raw pixels, width * height * 3 bytes, red first, rows top to bottom. */
    RGB24,
    /** Raw pixels, width * height * 3 bytes, blue first, rows top to bottom. */
    BGR24
}
