package io.sightline.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * What the FFmpeg sources (video files, RTSP) share: decoded pictures become JPEG payloads. One instance per reading
 * thread: the converter reuses its image buffer.
 */
final class FfmpegDecoding {

    /** High enough that faces keep their detail after re-encoding, far smaller than the decoded picture. */
    static final float JPEG_QUALITY = 0.9f;

    private final Java2DFrameConverter converter = new Java2DFrameConverter();

    FfmpegDecoding() {
        // FFmpeg's own console lines would interleave with the progress line; failures reach us as exceptions.
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    /** The picture of a decoded video frame as JPEG bytes. */
    byte[] jpeg(Frame picture) {
        BufferedImage image = converter.getBufferedImage(picture);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
        try (var out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a video frame as JPEG", e); // in memory: not expected
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** FFmpeg's error without JavaCV's hints about its own API, which mean nothing to the user. */
    static String describe(Exception e) {
        String message = String.valueOf(e.getMessage());
        for (String hint : new String[] {" (Has setFormat()", " (For more details"}) {
            int at = message.indexOf(hint);
            if (at > 0) {
                message = message.substring(0, at);
            }
        }
        return message;
    }
}
