package io.sightline.udf;

import static io.sightline.udf.FakeFaceDetector.face;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.DetectionOptions;
import io.sightline.model.Detections;
import io.sightline.model.Face;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelInfo;
import io.sightline.model.RgbImages;
import io.sightline.udf.UdfResult.Emitted;
import io.sightline.udf.UdfResult.Failed;
import io.sightline.udf.internal.AnnotatedEncoder;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bundled face-annotate UDF, compiled from AssemblyScript by this build, against a fake detector. */
class FaceAnnotateUdfTest {

    private static final int HIGH_SCORE_COLOR = 0x00c853;
    private static final int MEDIUM_SCORE_COLOR = 0xffc400;

    private static final Face CONFIDENT = face(100, 120, 200, 240, 0.99f);
    private static final Face LIKELY = face(300, 100, 380, 200, 0.92f);
    private static final Face DOUBTFUL = face(450, 250, 530, 350, 0.5f);

    private final FakeFaceDetector detector = new FakeFaceDetector(List.of(CONFIDENT, LIKELY, DOUBTFUL));
    private final UdfRuntime runtime = UdfRuntime.faceAnnotate(detector, UdfConfig.defaults());

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void emitsTheFacesScoringAtLeastTheThreshold() {
        try (UdfInstance udf = runtime.newInstance()) {
            UdfResult result = udf.process(TestFrames.jpegFrame("cam-1"));

            Emitted emitted = (Emitted) result;
            assertThat(emitted.faces()).containsExactly(CONFIDENT, LIKELY);
            assertThat(emitted.imageWidth()).isEqualTo(TestFrames.WIDTH);
            assertThat(emitted.imageHeight()).isEqualTo(TestFrames.HEIGHT);
        }
    }

    @Test
    void aFrameWithNoFaceIsItsOwnSnapshotWithoutAnEncode() {
        FrameInput frame = TestFrames.jpegFrame("cam-1");
        UdfConfig jpeg = snapshotsAs(ImageEncoding.JPEG);
        try (UdfRuntime nobody = UdfRuntime.faceAnnotate(new FakeFaceDetector(List.of()), jpeg);
                UdfInstance udf = nobody.newInstance()) {
            Emitted emitted = (Emitted) udf.process(frame);

            assertThat(emitted.faces()).isEmpty();
            assertThat(emitted.annotatedFit()).isEqualTo(ImageFit.FULL);
            EncodedImage snapshot = emitted.annotated().orElseThrow();
            assertThat(snapshot.bytes()).as("the frame's own JPEG").isEqualTo(frame.payload());
            assertThat(snapshot.encoding()).isEqualTo(ImageEncoding.JPEG);
            assertThat(snapshot.width()).isEqualTo(TestFrames.WIDTH);
            assertThat(snapshot.height()).isEqualTo(TestFrames.HEIGHT);
        }
        // Boxes drawn: a new encoding of the drawn pixels.
        try (UdfRuntime someone = UdfRuntime.faceAnnotate(detector, jpeg); UdfInstance udf = someone.newInstance()) {
            EncodedImage drawn = ((Emitted) udf.process(frame)).annotated().orElseThrow();
            assertThat(drawn.encoding()).isEqualTo(ImageEncoding.JPEG);
            assertThat(drawn.bytes()).isNotEqualTo(frame.payload());
        }
        // Snapshots asked for as PNG: the JPEG frame is not one.
        try (UdfRuntime nobody = UdfRuntime.faceAnnotate(new FakeFaceDetector(List.of()),
                        snapshotsAs(ImageEncoding.PNG));
                UdfInstance udf = nobody.newInstance()) {
            EncodedImage snapshot = ((Emitted) udf.process(frame)).annotated().orElseThrow();
            assertThat(snapshot.encoding()).isEqualTo(ImageEncoding.PNG);
            assertThat(TestFrames.decode(snapshot.bytes()).getWidth()).isEqualTo(TestFrames.WIDTH);
        }
    }

    private static UdfConfig snapshotsAs(ImageEncoding format) {
        return UdfConfig.defaults().withImages(ImageLimits.defaults().withAnnotated(format, 0.85f));
    }

    @Test
    void namesTheModelWhoseDetectionItReadEvenWhenTheDetectorSwitchedRightAfter() {
        ModelInfo found = new ModelInfo("mtcnn", "old", "a".repeat(64));
        ModelInfo next = new ModelInfo("mtcnn", "new", "b".repeat(64));
        FaceDetector switching = new FaceDetector() {
            private volatile ModelInfo current = found;

            @Override
            public List<Face> detect(BufferedImage image, DetectionOptions options) {
                return detectWithModel(image, options).faces();
            }

            @Override
            public Detections detectWithModel(BufferedImage image, DetectionOptions options) {
                // A switch lands as soon as this call returns, before the UDF has emitted.
                Detections detections = new Detections(List.of(CONFIDENT), current);
                current = next;
                return detections;
            }

            @Override
            public ModelInfo model() {
                return current;
            }

            @Override
            public void close() {}
        };
        try (UdfRuntime switched = UdfRuntime.faceAnnotate(switching, UdfConfig.defaults());
                UdfInstance udf = switched.newInstance()) {
            Emitted first = (Emitted) udf.process(TestFrames.jpegFrame("cam-1"));
            Emitted second = (Emitted) udf.process(TestFrames.jpegFrame("cam-1"));

            assertThat(first.faces()).containsExactly(CONFIDENT);
            assertThat(first.model()).contains(found);
            assertThat(switched.model()).isEqualTo(next);
            assertThat(second.model()).contains(next);
        }
    }

    @Test
    void asksTheDetectorForTheConfiguredMinimumFaceSize() {
        UdfConfig config = new UdfConfig(new DetectionOptions(40), 64, Duration.ofSeconds(1));
        try (UdfRuntime custom = UdfRuntime.faceAnnotate(detector, config); UdfInstance udf = custom.newInstance()) {
            udf.process(TestFrames.jpegFrame("cam-1"));
        }

        assertThat(detector.calls()).containsExactly(new DetectionOptions(40));
    }

    @Test
    void annotatedPngHasTheOriginalSizeAndScoreColouredBoxEdges() {
        byte[] jpeg = TestFrames.gradientJpeg();
        BufferedImage original = TestFrames.decode(jpeg);
        try (UdfInstance udf = runtime.newInstance()) {
            Emitted emitted = (Emitted) udf.process(
                    TestFrames.frame("cam-1", ImageEncoding.JPEG, TestFrames.WIDTH, TestFrames.HEIGHT, jpeg));

            EncodedImage annotated = emitted.annotated().orElseThrow();
            assertThat(annotated.encoding()).isEqualTo(ImageEncoding.PNG);
            BufferedImage png = TestFrames.decode(annotated.bytes());
            assertThat(png.getWidth()).isEqualTo(TestFrames.WIDTH).isEqualTo(annotated.width());
            assertThat(png.getHeight()).isEqualTo(TestFrames.HEIGHT).isEqualTo(annotated.height());

            assertThat(edgeColors(png, CONFIDENT)).containsOnly(HIGH_SCORE_COLOR);
            assertThat(edgeColors(png, LIKELY)).containsOnly(MEDIUM_SCORE_COLOR);
            assertThat(edgeColors(png, DOUBTFUL)).isEqualTo(edgeColors(original, DOUBTFUL));
            // Outlined, not filled: the box's interior away from the landmarks keeps the photo's pixels.
            assertThat(rgb(png, 110, 130)).isEqualTo(rgb(original, 110, 130));
            // The nose landmark is drawn in the box colour.
            assertThat(rgb(png, 150, 180)).isEqualTo(HIGH_SCORE_COLOR);
        }
    }

    @Test
    void drawsOnRawRgbFramesWithoutSwappingChannels() {
        BufferedImage gradient = TestFrames.gradient();
        byte[] rgb24 = new byte[TestFrames.WIDTH * TestFrames.HEIGHT * 3];
        for (int y = 0, i = 0; y < TestFrames.HEIGHT; y++) {
            for (int x = 0; x < TestFrames.WIDTH; x++, i += 3) {
                int pixel = gradient.getRGB(x, y);
                rgb24[i] = (byte) (pixel >> 16);
                rgb24[i + 1] = (byte) (pixel >> 8);
                rgb24[i + 2] = (byte) pixel;
            }
        }
        try (UdfInstance udf = runtime.newInstance()) {
            Emitted emitted = (Emitted) udf.process(
                    TestFrames.frame("cam-raw", ImageEncoding.RGB24, TestFrames.WIDTH, TestFrames.HEIGHT, rgb24));

            BufferedImage png = TestFrames.decode(emitted.annotated().orElseThrow().bytes());
            assertThat(rgb(png, 10, 400)).isEqualTo(gradient.getRGB(10, 400) & 0xFFFFFF);
            assertThat(edgeColors(png, CONFIDENT)).containsOnly(HIGH_SCORE_COLOR);
        }
    }

    @Test
    void reportsInferenceApartFromUdfTimeAndDoesNotChargeItToTheBudget() {
        FakeFaceDetector slow = new FakeFaceDetector(List.of(CONFIDENT), Duration.ofMillis(400));
        UdfConfig tightBudget = new UdfConfig(DetectionOptions.defaults(), 64, Duration.ofMillis(300));
        try (UdfRuntime custom = UdfRuntime.faceAnnotate(slow, tightBudget); UdfInstance udf = custom.newInstance()) {
            Emitted emitted = (Emitted) udf.process(TestFrames.jpegFrame("cam-1"));

            Timings timings = emitted.timings();
            assertThat(timings.inferenceMs()).isGreaterThanOrEqualTo(400);
            assertThat(timings.udfMs()).isLessThan(300);
            assertThat(timings.decodeMs()).isPositive();
            assertThat(timings.totalMs())
                    .isGreaterThanOrEqualTo(timings.decodeMs() + timings.udfMs() + timings.inferenceMs());
        }
    }

    @Test
    void countsTheAnnotatedImagesEncodeInTheTotal() {
        ImageLimits png = ImageLimits.defaults().withAnnotated(ImageEncoding.PNG, ImageLimits.defaults().jpegQuality());
        UdfConfig config = new UdfConfig(DetectionOptions.defaults(), 64, Duration.ofSeconds(5)).withImages(png);
        try (UdfRuntime custom = UdfRuntime.faceAnnotate(new FakeFaceDetector(List.of(CONFIDENT)), config);
                UdfInstance udf = custom.newInstance()) {
            Emitted emitted = (Emitted) udf.process(TestFrames.jpegFrame("cam-1"));

            Timings timings = emitted.timings();
            double encodeMs = timings.totalMs() - timings.decodeMs() - timings.udfMs() - timings.inferenceMs();
            // In the layout the UDF's own frame has: packed RGB, as the JPEG codec decodes it.
            BufferedImage annotated = RgbImages.packed(TestFrames.decode(emitted.annotated().orElseThrow().bytes()));
            long fastest = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                AnnotatedEncoder.fit(annotated, png);
                fastest = Math.min(fastest, System.nanoTime() - start);
            }
            // The first encode in the instance is never faster than half of the best of three warm ones here.
            assertThat(encodeMs).as("total - decode - UDF - inference, ms").isGreaterThan(fastest / 2e6);
        }
    }

    @Test
    void reportsADetectorFailureAsInferenceAndKeepsWorking() {
        try (UdfInstance udf = runtime.newInstance()) {
            detector.failWith(new IllegalStateException("session closed"));

            UdfResult failed = udf.process(TestFrames.jpegFrame("cam-1"));
            UdfResult next = udf.process(TestFrames.jpegFrame("cam-1"));

            assertThat(failed).isEqualTo(new Failed(FailureCode.INFERENCE, "inference",
                    "IllegalStateException: session closed"));
            assertThat(((Emitted) next).faces()).containsExactly(CONFIDENT, LIKELY);
        }
    }

    @Test
    void reportsTheShaOfThePackagedWasm() throws Exception {
        byte[] wasm;
        try (InputStream in = getClass().getResourceAsStream("/io/sightline/udf/bundled/face-annotate.wasm")) {
            wasm = in.readAllBytes();
        }
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wasm));

        assertThat(Arrays.copyOf(wasm, 4)).containsExactly(0, 'a', 's', 'm');
        assertThat(runtime.info().name()).isEqualTo("face-annotate");
        assertThat(runtime.info().version()).isNotBlank().doesNotContain("${");
        assertThat(runtime.info().sha256()).isEqualTo(sha256);
    }

    @Test
    void instancesOnSeparateThreadsShareOneRuntime() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Face>>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                results.add(threads.submit(() -> facesOfFiveFrames()));
            }
            for (Future<List<Face>> result : results) {
                assertThat(result.get()).hasSize(10);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private List<Face> facesOfFiveFrames() {
        List<Face> faces = new ArrayList<>();
        try (UdfInstance udf = runtime.newInstance()) {
            for (int i = 0; i < 5; i++) {
                faces.addAll(((Emitted) udf.process(TestFrames.jpegFrame("cam-" + i))).faces());
            }
        }
        return faces;
    }

    /** Colours at the middle of each of the box's four edges, one pixel inside. */
    private static List<Integer> edgeColors(BufferedImage image, Face face) {
        int x1 = Math.round(face.box().x1());
        int y1 = Math.round(face.box().y1());
        int x2 = Math.round(face.box().x2()) - 1;
        int y2 = Math.round(face.box().y2()) - 1;
        int cx = (x1 + x2) / 2;
        int cy = (y1 + y2) / 2;
        return List.of(rgb(image, x1, cy), rgb(image, x2, cy), rgb(image, cx, y1), rgb(image, cx, y2));
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }
}
