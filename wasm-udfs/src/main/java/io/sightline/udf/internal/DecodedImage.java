package io.sightline.udf.internal;

import io.sightline.model.BoundingBox;
import io.sightline.model.Face;
import io.sightline.model.Point;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A decoded frame: the pixels the UDF and the detector work on, and the size of the original image. With
 * {@code subsampling} n &gt; 1 the pixels are every n-th pixel of every n-th row of the original.
 */
public record DecodedImage(BufferedImage pixels, int width, int height, int subsampling) {

    /** A face found in {@link #pixels()}, in pixels of the original image. */
    public Face toOriginal(Face face) {
        if (subsampling == 1) {
            return face;
        }
        float n = subsampling;
        BoundingBox b = face.box();
        BoundingBox box = new BoundingBox(b.x1() * n, b.y1() * n, b.x2() * n, b.y2() * n).clip(width, height);
        List<Point> landmarks = face.landmarks().stream().map(p -> new Point(p.x() * n, p.y() * n)).toList();
        return new Face(box, face.score(), landmarks);
    }
}
