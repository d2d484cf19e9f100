package io.sightline.udf.internal;

import io.sightline.model.Detections;
import io.sightline.model.Face;
import io.sightline.model.ModelInfo;
import io.sightline.model.RgbImages;
import io.sightline.udf.FrameInput;
import io.sightline.udf.ImageFit;
import io.sightline.udf.ImageLimits;
import io.sightline.udf.UdfState;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Host-side state of one UDF's call on one frame: the handles the guest sees, what it emitted and the state writes
 * it made. Handle 1 is the frame's image, shared with the other stages of a chain; images the call made (crops,
 * resizes) are released when it is closed, so handles never outlive their call.
 */
public final class FrameContext implements AutoCloseable {

    /** The only frame handle: a call sees exactly one frame. */
    public static final int FRAME_HANDLE = 1;
    /** Handle of the frame's own image; images a call makes get the handles after it. */
    static final int FRAME_IMAGE_HANDLE = 1;
    /** Images a call may make besides the frame's: bounds host memory per call. */
    static final int MAX_IMAGES = 16;
    /** Named-output records (images and JSON) one call may emit. */
    static final int MAX_OUTPUT_RECORDS = 64;
    /** Output names become topic names ({@code sightline.NAME}). */
    static final Pattern OUTPUT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,48}");
    static final Set<String> RESERVED_OUTPUTS = Set.of("detections", "annotated");

    private final FrameImage frame;
    private final BufferedState state;
    private final List<HostImage> images = new ArrayList<>();
    private final List<Face> emittedFaces = new ArrayList<>();
    private final List<NamedOutput> outputs = new ArrayList<>();
    private List<Face> detectedFaces = List.of();
    private ModelInfo detectedModel;
    private HostImage emittedImage;
    private long inferenceNanos;
    private int inferences;
    private long decodeNanos;

    /** @param state the state behind {@code state_*}; its writes are buffered until {@link #commitState()} */
    public FrameContext(FrameImage frame, UdfState state) {
        this.frame = frame;
        this.state = new BufferedState(state);
    }

    FrameInput frame(int handle) {
        if (handle != FRAME_HANDLE) {
            throw new UdfAbiException("unknown frame handle " + handle);
        }
        return frame.frame();
    }

    public FrameImage frameImage() {
        return frame;
    }

    int frameImageHandle(int frameHandle) {
        frame(frameHandle);
        return FRAME_IMAGE_HANDLE;
    }

    HostImage image(int handle) {
        if (handle == FRAME_IMAGE_HANDLE) {
            return frame.image();
        }
        if (handle < 2 || handle > images.size() + 1) {
            throw new UdfAbiException("unknown image handle " + handle);
        }
        return images.get(handle - 2);
    }

    /** Keeps an image the call made and returns its handle. */
    int add(BufferedImage pixels) {
        if (images.size() >= MAX_IMAGES) {
            throw new UdfAbiException("a call may make at most " + MAX_IMAGES + " images (crops, resizes)");
        }
        images.add(new HostImage(pixels));
        return images.size() + 1;
    }

    /** @param ran whether the detector ran for this call (false: faces an earlier stage found on this image) */
    void detected(Detections found, long nanos, boolean ran) {
        detectedFaces = found.faces();
        detectedModel = found.model();
        inferenceNanos += nanos;
        if (ran) {
            inferences++;
        }
    }

    /** Times the detector ran during this call. */
    public int inferences() {
        return inferences;
    }

    void decoded(long nanos) {
        decodeNanos += nanos;
    }

    Face detectedFace(int index) {
        if (index < 0 || index >= detectedFaces.size()) {
            throw new UdfAbiException("face index " + index + " out of range: detect_faces found "
                    + detectedFaces.size());
        }
        return detectedFaces.get(index);
    }

    void emit(List<Face> faces) {
        emittedFaces.addAll(faces);
    }

    void emitImage(int handle) {
        emittedImage = image(handle);
    }

    void emitTo(String output, int handle) {
        addOutput(new NamedOutput(output, image(handle), null));
    }

    void emitRecord(String output, byte[] json) {
        addOutput(new NamedOutput(output, null, json));
    }

    private void addOutput(NamedOutput output) {
        if (!OUTPUT_NAME.matcher(output.name()).matches()) {
            throw new UdfAbiException("output name '" + output.name() + "' must be 1-49 of a-z, 0-9 and '-', "
                    + "starting with a letter or digit");
        }
        if (RESERVED_OUTPUTS.contains(output.name())) {
            throw new UdfAbiException("output " + output.name() + " is reserved: use emit_"
                    + (output.name().equals("detections") ? "detections" : "image"));
        }
        if (outputs.size() >= MAX_OUTPUT_RECORDS) {
            throw new UdfAbiException("a call may emit at most " + MAX_OUTPUT_RECORDS + " records to named outputs");
        }
        outputs.add(output);
    }

    UdfState state() {
        return state;
    }

    /** Applies the call's state writes: only once the call has succeeded. */
    public void commitState() {
        state.commit();
    }

    public List<Face> emittedFaces() {
        return emittedFaces;
    }

    /** The image emitted as the annotated one, if any. */
    public Optional<HostImage> emittedImage() {
        return Optional.ofNullable(emittedImage);
    }

    /**
     * {@code image} encoded to fit in a record ({@link AnnotatedEncoder#fit}); an image nothing changed since the
     * frame was decoded is the frame's own bytes instead, without an encode ({@link FrameImage#asSource}).
     */
    public AnnotatedEncoder.Fitted encode(HostImage image, ImageLimits limits) {
        return frame.asSource(image, limits)
                .map(source -> new AnnotatedEncoder.Fitted(Optional.of(source), ImageFit.FULL))
                .orElseGet(() -> AnnotatedEncoder.fit(image.pixels(), limits));
    }

    /** Named outputs in the order emitted; images are the pixels as they are when the call returns. */
    public List<NamedOutput> outputs() {
        return outputs;
    }

    /** The model of the call's last detection; empty when it detected nothing. */
    public Optional<ModelInfo> detectedModel() {
        return Optional.ofNullable(detectedModel);
    }

    public long inferenceNanos() {
        return inferenceNanos;
    }

    public long decodeNanos() {
        return decodeNanos;
    }

    /** Releases the images this call made; the frame's own image belongs to the {@link FrameImage}. */
    @Override
    public void close() {
        images.forEach(HostImage::release);
        images.clear();
    }

    /** A record for a named output: an image to encode, or JSON bytes. */
    public record NamedOutput(String name, HostImage image, byte[] json) {

        public Optional<BufferedImage> pixels() {
            return Optional.ofNullable(image).map(HostImage::pixels);
        }
    }

    /** An image behind a handle, with the Graphics2D that draws on it created on first use. */
    public static final class HostImage {

        private final BufferedImage pixels;
        /** The array of a packed RGB or BGR image, which the host writes directly; null for other layouts. */
        private final byte[] packed;
        private final boolean rgbOrder;
        private Graphics2D graphics;
        private boolean drawn;

        HostImage(BufferedImage pixels) {
            this.pixels = pixels;
            this.rgbOrder = RgbImages.isPacked(pixels);
            this.packed = rgbOrder || RgbImages.isPackedBgr(pixels) ? RgbImages.bytes(pixels) : null;
        }

        /** The pixels, to read. Every way to write them ({@link #canvas}, {@link #packed}, {@link #graphics}) notes it. */
        BufferedImage pixels() {
            return pixels;
        }

        /** The pixels, to change. */
        BufferedImage canvas() {
            drawn = true;
            return pixels;
        }

        /** The pixel array to write when the image is packed RGB or BGR ({@link #rgbOrder} says which), else null. */
        byte[] packed() {
            drawn = true;
            return packed;
        }

        boolean rgbOrder() {
            return rgbOrder;
        }

        /** Whether any host call changed these pixels since they were made. */
        boolean isDrawn() {
            return drawn;
        }

        /** A Graphics2D to draw on the pixels. */
        Graphics2D graphics() {
            drawn = true;
            if (graphics == null) {
                graphics = pixels.createGraphics();
            }
            return graphics;
        }

        void release() {
            if (graphics != null) {
                graphics.dispose();
                graphics = null;
            }
        }
    }
}
