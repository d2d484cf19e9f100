package io.sightline.udf.internal;

import static io.sightline.udf.internal.GuestMemory.finite;
import static io.sightline.udf.internal.GuestMemory.pixel;
import static io.sightline.udf.internal.GuestMemory.text;

import com.dylibso.chicory.runtime.Instance;

/** The drawing host calls: each reads its arguments as the ABI gives them, checks them, and draws on the image. */
final class DrawCalls {

    private DrawCalls() {}

    /** {@code draw_rect(image, x1, y1, x2, y2, rgb, thickness)}: a box outline; an empty box draws nothing. */
    static long[] rect(FrameContext.HostImage target, long... args) {
        int left = pixel(args[1], "x1");
        int top = pixel(args[2], "y1");
        int right = pixel(args[3], "x2");
        int bottom = pixel(args[4], "y2");
        int thickness = Math.max(1, pixel(args[6], "thickness"));
        int width = right - left;
        int height = bottom - top;
        if (width <= 0 || height <= 0) {
            return null;
        }
        int rgb = (int) args[5];
        ImageOps.fillRect(target, left, top, width, thickness, rgb);
        ImageOps.fillRect(target, left, bottom - thickness, width, thickness, rgb);
        ImageOps.fillRect(target, left, top, thickness, height, rgb);
        ImageOps.fillRect(target, right - thickness, top, thickness, height, rgb);
        return null;
    }

    /** {@code draw_point(image, x, y, radius, rgb)}: a filled disc; a radius of 0 or less draws nothing. */
    static long[] point(FrameContext.HostImage target, long... args) {
        float x = finite(args[1], "x");
        float y = finite(args[2], "y");
        float radius = finite(args[3], "radius");
        if (radius <= 0) {
            return null;
        }
        int diameter = Math.max(1, Math.round(2 * radius));
        ImageOps.fillDisc(target, Math.round(x - radius), Math.round(y - radius), diameter,
                (int) args[4]);
        return null;
    }

    /** {@code draw_label(image, x, y, text_ptr, text_len, rgb)}: text with its top-left at (x, y). */
    static long[] label(Instance instance, FrameContext.HostImage target, long... args) {
        int x = pixel(args[1], "x");
        int y = pixel(args[2], "y");
        String text = text(instance, "draw_label", (int) args[3], (int) args[4], HostFunctions.MAX_LABEL_BYTES);
        if (!text.isEmpty()) {
            ImageOps.label(target.graphics(), target.pixels(), x, y, text, (int) args[5]);
        }
        return null;
    }
}
