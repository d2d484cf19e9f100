package io.sightline.udf;

import java.util.Objects;

/** An image a UDF produced, encoded by the host. */
public record EncodedImage(ImageEncoding encoding, int width, int height, byte[] bytes) {

    public EncodedImage {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(bytes, "bytes");
    }
}
