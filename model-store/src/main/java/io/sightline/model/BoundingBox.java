package io.sightline.model;

/** An axis-aligned box in pixels of the original image; (x1, y1) is the top-left corner. */
public record BoundingBox(float x1, float y1, float x2, float y2) {

    public BoundingBox {
        if (!(x2 >= x1 && y2 >= y1)) {
            throw new IllegalArgumentException("box corners out of order: " + x1 + "," + y1 + " " + x2 + "," + y2);
        }
    }

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public float area() {
        return width() * height();
    }

    /** Intersection over union, 0 when the boxes do not overlap. */
    public float iou(BoundingBox other) {
        float ix = Math.max(0, Math.min(x2, other.x2) - Math.max(x1, other.x1));
        float iy = Math.max(0, Math.min(y2, other.y2) - Math.max(y1, other.y1));
        float intersection = ix * iy;
        float union = area() + other.area() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    /** This box clipped to an image of the given size. */
    public BoundingBox clip(int imageWidth, int imageHeight) {
        return new BoundingBox(
                clamp(x1, imageWidth), clamp(y1, imageHeight), clamp(x2, imageWidth), clamp(y2, imageHeight));
    }

    private static float clamp(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
