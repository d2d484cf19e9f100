package io.sightline.udf.internal;

import io.sightline.model.RgbImages;
import java.awt.image.BufferedImage;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.op.image.EncodeJpeg;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * JPEG decoding and encoding with the libjpeg-turbo inside TensorFlow's native library, which the detector loads
 * anyway: on a 960x661 frame about 3 ms to decode and 2.5 ms to encode, where ImageIO takes about 18 and 8 ms.
 *
 * <p>Decoding uses the accurate integer IDCT, so the pixels are bit for bit those ImageIO's decoder gives (checked
 * on the sample images by {@code NativeJpegTest}): faces found do not depend on which decoder ran. Only what this
 * path handles exactly like ImageIO is taken: 3-component (YCbCr) JPEGs decoded at full size. Anything else, and any
 * frame libjpeg-turbo rejects, is left to ImageIO, whose strict checks then give the verdict.
 *
 * <p>Pixels stay in the codec's RGB order ({@link RgbImages}), which the detector also takes: a frame is copied out of
 * the decoder and into the encoder as it is. Only BGR images (from ImageIO) are reordered on their way in.
 *
 * <p>One small graph in one session serves all threads (sessions are thread-safe); it lives as long as the process.
 */
final class NativeJpeg {

    private static final int CHANNELS = 3;
    /** One operation per call: run it on the calling thread, sparing a hand-off to TensorFlow's pool and back. */
    private static final RunOptions ON_CALLER = RunOptions.newBuilder().setInterOpThreadPool(-1).build();

    private final Session session;
    private final Placeholder<TString> jpegIn;
    private final DecodeJpeg rgbOut;
    private final Placeholder<TUint8> rgbIn;
    private final Placeholder<TInt32> qualityIn;
    private final org.tensorflow.Operand<TString> encoded;

    private NativeJpeg() {
        Graph graph = new Graph();
        Ops tf = Ops.create(graph);
        jpegIn = tf.placeholder(TString.class);
        rgbOut = tf.image.decodeJpeg(jpegIn, DecodeJpeg.channels((long) CHANNELS),
                DecodeJpeg.dctMethod("INTEGER_ACCURATE"), DecodeJpeg.tryRecoverTruncated(false));
        rgbIn = tf.placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, -1, CHANNELS)));
        qualityIn = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
        encoded = tf.image.encodeJpegVariableQuality(rgbIn, qualityIn);
        ConfigProto config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(1)
                .setInterOpParallelismThreads(1)
                .build();
        session = new Session(graph, config);
    }

    private static final class Holder {
        static final NativeJpeg INSTANCE = new NativeJpeg();
    }

    static NativeJpeg get() {
        return Holder.INSTANCE;
    }

    /**
     * The JPEG's pixels at full size, or empty when this path does not take it (its frame header, read by the caller
     * with {@link Jpegs#frameHeader}, gives other than 3 components or another size than libjpeg-turbo decodes, or
     * libjpeg-turbo rejects it); the caller then decodes with ImageIO.
     */
    Optional<BufferedImage> decode(byte[] jpeg, Jpegs.FrameHeader header) {
        if (header.components() != CHANNELS) {
            return Optional.empty();
        }
        int width = header.width();
        int height = header.height();
        try (TString input = TString.tensorOfBytes(NdArrays.scalarOfObject(jpeg));
             Result result = session.runner().feed(jpegIn, input).fetch(rgbOut).setOptions(ON_CALLER).run()) {
            TUint8 pixels = (TUint8) result.get(0);
            Shape shape = pixels.shape();
            if (shape.size(0) != height || shape.size(1) != width || shape.size(2) != CHANNELS) {
                return Optional.empty();
            }
            BufferedImage image = RgbImages.create(width, height);
            pixels.asRawTensor().data().read(RgbImages.bytes(image));
            return Optional.of(image);
        } catch (TensorFlowException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True when {@link #encode} takes this image: packed 8-bit RGB or BGR, as decoded frames and their redraws are. */
    static boolean encodes(BufferedImage image) {
        return RgbImages.isPacked(image) || RgbImages.isPackedBgr(image);
    }

    /** The image as a baseline JPEG at {@code quality} (1-100); the image must pass {@link #encodes}. */
    byte[] encode(BufferedImage image, int quality) {
        try (TUint8 tensor = RgbImages.tensor(image, true);
             TInt32 q = TInt32.scalarOf(quality);
             Result result = session.runner().feed(rgbIn, tensor).feed(qualityIn, q).fetch(encoded)
                     .setOptions(ON_CALLER).run()) {
            return ((TString) result.get(0)).asBytes().getObject();
        }
    }
}
