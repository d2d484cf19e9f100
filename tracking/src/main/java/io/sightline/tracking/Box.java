package io.sightline.tracking;

/** An axis-aligned box in pixels; (x1, y1) is the top-left corner, (x2, y2) the bottom-right. */
public record Box(float x1, float y1, float x2, float y2) {

    public float width() {
        return Math.max(0, x2 - x1);
    }

    public float height() {
        return Math.max(0, y2 - y1);
    }

    /** Intersection over union: 0 for boxes that do not overlap (or are empty), 1 for the same box. */
    public double iou(Box other) {
        double w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double intersection = w * h;
        double union = (double) width() * height() + (double) other.width() * other.height() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
