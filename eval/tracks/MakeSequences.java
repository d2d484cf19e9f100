import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Builds the labelled tracking sequences of eval/tracks from the licensed photographs of eval/faces: heads cut from
 * them move along known paths over a background photograph, crossing and hiding each other; the labels are where each
 * face is, by construction. Run from the repository root with the JDK alone:
 *
 * <pre>java eval/tracks/MakeSequences.java</pre>
 *
 * The output is deterministic (no randomness), so running it again rewrites the same frames and labels.
 */
public class MakeSequences {

    static final Path FACES = Path.of("eval/faces");
    static final Path OUT = Path.of("eval/tracks");
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    static final int WIDTH = 640;
    static final int HEIGHT = 427;

    /** A head: a photograph, the labelled face box in it, and the face height it is shown at. */
    record Head(String file, double x1, double y1, double x2, double y2) {}

    /** Where a head's face centre is at a time, between keyframes; absent before the first and after the last. */
    record Walker(String id, Head head, double faceHeight, double[][] keys) {

        double[] at(double t) {
            if (t < keys[0][0] || t > keys[keys.length - 1][0]) {
                return null;
            }
            for (int k = 1; k < keys.length; k++) {
                if (t <= keys[k][0]) {
                    double f = (t - keys[k - 1][0]) / (keys[k][0] - keys[k - 1][0]);
                    return new double[] {keys[k - 1][1] + f * (keys[k][1] - keys[k - 1][1]),
                            keys[k - 1][2] + f * (keys[k][2] - keys[k - 1][2])};
                }
            }
            return null;
        }
    }

    static final Head P1 = new Head("faceapi-sample1.jpg", 219, 193, 313, 315);
    static final Head P2 = new Head("faceapi-sample1.jpg", 444, 227, 548, 351);
    static final Head P3 = new Head("faceapi-sample1.jpg", 786, 111, 897, 239);
    static final Head P4 = new Head("faceapi-sample2.jpg", 188, 85, 295, 235);
    static final Head P5 = new Head("faceapi-sample2.jpg", 488, 130, 578, 250);
    static final Head P6 = new Head("faceapi-sample3.jpg", 310, 171, 421, 321);
    static final Head P7 = new Head("faceapi-sample3.jpg", 566, 110, 687, 271);
    static final Head P8 = new Head("faceapi-sample4.jpg", 351, 38, 441, 153);
    static final Head P9 = new Head("faceapi-sample5.jpg", 592, 111, 686, 229);
    static final Head P10 = new Head("faceapi-sample6.jpg", 356, 180, 458, 334);
    static final Head P11 = new Head("faceapi-sample6.jpg", 792, 139, 902, 297);
    static final Head P12 = new Head("matplotlib-grace_hopper.jpg", 177, 110, 353, 337);
    static final Head P13 = new Head("skimage-astronaut.jpg", 180, 58, 267, 174);
    static final Head P14 = new Head("faceapi-sample4.jpg", 525, 102, 616, 218);

    public static void main(String[] args) throws IOException {
        BufferedImage background = ImageIO.read(FACES.resolve("sklearn-china.jpg").toFile());
        // Bottom to top: a walker listed later is drawn over the ones before it.
        List<Walker> crossing = List.of(
                new Walker("f", P9, 48, new double[][] {{0, -40, 70}, {8, 680, 70}}),
                new Walker("e", P7, 56, new double[][] {{0, 330, 70}, {8, 330, 70}}),
                new Walker("a", P1, 64, new double[][] {{0, -40, 190}, {8, 680, 190}}),
                new Walker("b", P6, 64, new double[][] {{0, 680, 200}, {8, -40, 200}}),
                new Walker("c", P12, 60, new double[][] {{0.5, 100, 150}, {7.5, 540, 400}}),
                new Walker("d", P13, 60, new double[][] {{0.5, 100, 400}, {7.5, 540, 150}}));
        write("crossing-5fps", background, crossing, 8, 5);
        write("crossing-15fps", background, crossing, 8, 15);

        Head[] heads = {P2, P3, P5, P6, P8, P10, P11, P14, P12, P13};
        double[] rows = {90, 215, 340};
        List<Walker> door = new ArrayList<>();
        for (int k = 0; k < heads.length; k++) {
            double start = 0.3 + k;
            double speed = 120 + (k % 3) * 20;
            double duration = 740 / speed;
            double y = rows[k % 3];
            boolean rightwards = k % 2 == 0;
            door.add(new Walker("p" + (k + 1), heads[k], 56 + (k % 4) * 4, new double[][] {
                    {start, rightwards ? -50 : 690, y}, {start + duration, rightwards ? 690 : -50, y + 12}}));
        }
        write("door-5fps", background, door, 14, 5);
    }

    static void write(String name, BufferedImage background, List<Walker> walkers, double seconds, int fps)
            throws IOException {
        Path dir = OUT.resolve(name);
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) {
            for (Path file : old.toList()) {
                if (file.getFileName().toString().endsWith(".jpg")) {
                    Files.delete(file);
                }
            }
        }
        List<BufferedImage> sprites = new ArrayList<>();
        List<double[]> faceInSprite = new ArrayList<>();
        for (Walker walker : walkers) {
            Head head = walker.head();
            BufferedImage photo = ImageIO.read(FACES.resolve(head.file()).toFile());
            double w = head.x2() - head.x1();
            double h = head.y2() - head.y1();
            int cx1 = (int) Math.max(0, head.x1() - 0.3 * w);
            int cy1 = (int) Math.max(0, head.y1() - 0.3 * h);
            int cx2 = (int) Math.min(photo.getWidth(), head.x2() + 0.3 * w);
            int cy2 = (int) Math.min(photo.getHeight(), head.y2() + 0.3 * h);
            double scale = walker.faceHeight() / h;
            int sw = (int) Math.round((cx2 - cx1) * scale);
            int sh = (int) Math.round((cy2 - cy1) * scale);
            BufferedImage sprite = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = sprite.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(photo, 0, 0, sw, sh, cx1, cy1, cx2, cy2, null);
            g.dispose();
            sprites.add(sprite);
            faceInSprite.add(new double[] {(head.x1() - cx1) * scale, (head.y1() - cy1) * scale,
                    (head.x2() - cx1) * scale, (head.y2() - cy1) * scale});
        }
        int frames = (int) Math.round(seconds * fps);
        var labels = new StringBuilder("{\"frames\": [\n");
        for (int i = 0; i < frames; i++) {
            double t = (double) i / fps;
            BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = frame.createGraphics();
            g.drawImage(background, 0, 0, WIDTH, HEIGHT, null);
            double[][] spriteBoxes = new double[walkers.size()][];
            double[][] faceBoxes = new double[walkers.size()][];
            for (int k = 0; k < walkers.size(); k++) {
                double[] centre = walkers.get(k).at(t);
                if (centre == null) {
                    continue;
                }
                double[] face = faceInSprite.get(k);
                double left = centre[0] - (face[0] + face[2]) / 2;
                double top = centre[1] - (face[1] + face[3]) / 2;
                BufferedImage sprite = sprites.get(k);
                g.drawImage(sprite, (int) Math.round(left), (int) Math.round(top), null);
                spriteBoxes[k] = new double[] {Math.round(left), Math.round(top), Math.round(left) + sprite.getWidth(),
                        Math.round(top) + sprite.getHeight()};
                faceBoxes[k] = new double[] {Math.round(left) + face[0], Math.round(top) + face[1],
                        Math.round(left) + face[2], Math.round(top) + face[3]};
            }
            g.dispose();
            String file = String.format(Locale.ROOT, "frame-%04d.jpg", i);
            writeJpeg(frame, dir.resolve(file));
            labels.append(String.format(Locale.ROOT, "  {\"file\": \"%s\", \"time\": \"%s\", \"objects\": [", file,
                    START.plusMillis(Math.round(t * 1000))));
            String separator = "";
            for (int k = 0; k < walkers.size(); k++) {
                if (faceBoxes[k] == null || visible(k, faceBoxes, spriteBoxes) < 0.5) {
                    continue;
                }
                double[] b = faceBoxes[k];
                labels.append(String.format(Locale.ROOT, "%s{\"id\": \"%s\", \"box\": [%.1f, %.1f, %.1f, %.1f]}",
                        separator, walkers.get(k).id(), Math.max(0, b[0]), Math.max(0, b[1]),
                        Math.min(WIDTH, b[2]), Math.min(HEIGHT, b[3])));
                separator = ", ";
            }
            labels.append(i + 1 < frames ? "]},\n" : "]}\n");
        }
        labels.append("]}\n");
        Files.writeString(dir.resolve("labels.json"), labels);
        System.out.println(name + ": " + frames + " frames at " + fps + " fps");
    }

    /** The share of face k inside the frame and under no sprite drawn after it (on a 1-pixel grid). */
    static double visible(int k, double[][] faces, double[][] sprites) {
        double[] f = faces[k];
        int total = 0;
        int seen = 0;
        for (int y = (int) f[1]; y < (int) f[3]; y++) {
            for (int x = (int) f[0]; x < (int) f[2]; x++) {
                total++;
                if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT) {
                    continue;
                }
                boolean covered = false;
                for (int j = k + 1; j < sprites.length && !covered; j++) {
                    double[] s = sprites[j];
                    covered = s != null && x >= s[0] && x < s[2] && y >= s[1] && y < s[3];
                }
                seen += covered ? 0 : 1;
            }
        }
        return total == 0 ? 0 : (double) seen / total;
    }

    static void writeJpeg(BufferedImage image, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.7f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
