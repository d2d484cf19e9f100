package io.sightline.ingest;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/** Real video files written at test time with FFmpeg: MPEG-4 Part 2, or H.264 as cameras send it (OpenH264). */
public final class TestVideos {

    private TestVideos() {}

    /**
     * Writes {@code seconds × fps} frames of the image, each with a different bar drawn on it so consecutive frames
     * differ, with timestamps {@code i / fps}.
     *
     * @param format container: "mp4", "matroska", "avi"
     */
    public static Path write(Path file, Path image, int fps, int seconds, String format) throws IOException {
        return write(file, image, fps, seconds, format, "mpeg4");
    }

    /** @param codec FFmpeg encoder name: "mpeg4", or "libopenh264" for H.264 */
    public static Path write(Path file, Path image, int fps, int seconds, String format, String codec)
            throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        BufferedImage source = ImageIO.read(image.toFile());
        int width = source.getWidth() & ~1; // even sizes for yuv420p
        int height = source.getHeight() & ~1;
        var converter = new Java2DFrameConverter();
        try (var recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0)) {
            recorder.setFormat(format);
            recorder.setVideoCodecName(codec);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            if (codec.equals("mpeg4")) {
                recorder.setVideoQuality(2); // qscale: faces stay detectable
            } else {
                recorder.setVideoBitrate(2_000_000);
            }
            recorder.setGopSize(fps);
            recorder.start();
            for (int i = 0; i < fps * seconds; i++) {
                BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
                var g = picture.createGraphics();
                g.drawImage(source, 0, 0, null);
                g.fillRect(0, height - 6, (i * 7) % width + 1, 6);
                g.dispose();
                recorder.record(converter.convert(picture));
            }
            recorder.stop();
        }
        return file;
    }
}
