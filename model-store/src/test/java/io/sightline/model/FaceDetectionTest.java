package io.sightline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real MTCNN graph on real TensorFlow, on the shared sample images. */
class FaceDetectionTest {

    private static final DetectionOptions MIN_FACE_20 = new DetectionOptions(20);

    @TempDir
    static Path cache;

    private static ModelStore store;
    private static FaceDetector detector;

    @BeforeAll
    static void loadModel() {
        store = ModelStore.open(TestAssets.offlineConfig(cache));
        detector = store.faceDetector();
    }

    @AfterAll
    static void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void findsEveryOneOfThe29PeopleInTheSolvayPhotoOnce() {
        BufferedImage solvay = TestAssets.image("solvay-1927.jpg");
        assertThat(solvay.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);

        List<Face> faces = detector.detect(solvay, MIN_FACE_20);

        assertThat(faces).hasSize(29);
        assertWellFormed(faces, 960, 661);
    }

    @Test
    void findsTheSixPeopleInTheRgbaTestImage() {
        BufferedImage group = TestAssets.image("tf-mtcnn-test.jpg");
        assertThat(group.getColorModel().hasAlpha()).isTrue();

        List<Face> faces = detector.detect(group, MIN_FACE_20);

        assertThat(faces).hasSize(6);
        assertWellFormed(faces, 498, 310);
    }

    @Test
    void findsTheSameFacesWhateverThePixelLayout() {
        // A sub-image shares its parent's pixel array at an offset: the fast byte path must honour that.
        BufferedImage crop = TestAssets.image("solvay-1927.jpg").getSubimage(60, 200, 480, 220);
        BufferedImage packedInts = new BufferedImage(crop.getWidth(), crop.getHeight(), BufferedImage.TYPE_INT_RGB);
        packedInts.createGraphics().drawImage(crop, 0, 0, null);

        List<Face> fromBytes = detector.detect(crop, MIN_FACE_20);
        List<Face> fromInts = detector.detect(packedInts, MIN_FACE_20);

        assertThat(fromBytes).hasSizeGreaterThanOrEqualTo(8).hasSameSizeAs(fromInts);
        for (int i = 0; i < fromBytes.size(); i++) {
            BoundingBox a = fromBytes.get(i).box();
            BoundingBox b = fromInts.get(i).box();
            assertThat(a.iou(b)).as("face %d", i).isCloseTo(1f, within(1e-3f));
        }
    }

    @Test
    void packedBytesInEitherOrderGiveExactlyTheFacesOfFloatsConvertedInJava() {
        // Packed RGB (what the JPEG codec gives) goes to the graph as it is; packed BGR (what ImageIO gives) has red
        // and blue swapped on the way; packed ints are converted to floats in Java. The graph receives the same values
        // each time, so nothing may differ, not even a score's last bit.
        BufferedImage solvay = TestAssets.image("solvay-1927.jpg");
        BufferedImage rgb = RgbImages.packed(solvay);
        BufferedImage packedInts = new BufferedImage(solvay.getWidth(), solvay.getHeight(), BufferedImage.TYPE_INT_RGB);
        packedInts.createGraphics().drawImage(solvay, 0, 0, null);

        for (DetectionOptions options : List.of(MIN_FACE_20, new DetectionOptions(40))) {
            List<Face> fromRgb = detector.detect(rgb, options);
            List<Face> fromBgr = detector.detect(solvay, options);
            List<Face> fromFloats = detector.detect(packedInts, options);

            assertThat(fromRgb).as("min face %s", options.minFaceSize()).isNotEmpty()
                    .isEqualTo(fromBgr).isEqualTo(fromFloats);
        }
    }

    @Test
    void minimumFaceSizeFarAboveEveryFaceFindsNone() {
        // MTCNN's minimum only starts its image pyramid (25 px faces still show at 40), but at 150 they vanish.
        List<Face> faces = detector.detect(TestAssets.image("solvay-1927.jpg"), new DetectionOptions(150));

        assertThat(faces).isEmpty();
    }

    @Test
    void imageSmallerThanTheMinimumFaceHasNoFaces() {
        assertThat(detector.detect(new BufferedImage(19, 300, BufferedImage.TYPE_3BYTE_BGR), MIN_FACE_20)).isEmpty();
    }

    @Test
    void blankImageHasNoFaces() {
        assertThat(detector.detect(new BufferedImage(200, 100, BufferedImage.TYPE_3BYTE_BGR), MIN_FACE_20)).isEmpty();
    }

    @Test
    void reportsThePinnedModelAsProvenance() {
        assertThat(detector.model()).isEqualTo(new ModelInfo("mtcnn", "tf-mtcnn-b7ffa19",
                "f40d41e1d4d3aea5767078c1b1fc0666e354835b3956ffb6fcc835c981e58fb2"));
    }

    @Test
    void loadsTheDetectorOnceAndSharesIt() {
        assertThat(store.faceDetector()).isSameAs(detector);
    }

    @Test
    void servesSeveralThreadsAtOnceFromOneSession() throws Exception {
        BufferedImage group = TestAssets.image("tf-mtcnn-test.jpg");
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<Face>>> results = callers.invokeAll(
                    Collections.nCopies(6, () -> detector.detect(group, MIN_FACE_20)));
            for (Future<List<Face>> result : results) {
                assertThat(result.get()).hasSize(6);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void refusesToDetectOnceTheStoreIsClosed(@TempDir Path otherCache) {
        FaceDetector closed;
        try (ModelStore other = ModelStore.open(TestAssets.offlineConfig(otherCache))) {
            closed = other.faceDetector();
        }

        assertThatIllegalStateException()
                .isThrownBy(() -> closed.detect(TestAssets.image("tf-mtcnn-test.jpg"), MIN_FACE_20))
                .withMessageContaining("closed");
    }

    @Test
    void nativeMemoryStaysFlatOverRepeatedDetections() throws IOException {
        Path status = Path.of("/proc/self/status");
        assertThat(status).as("resident memory is read from /proc (Sightline runs on Linux)").isReadable();
        BufferedImage group = TestAssets.image("tf-mtcnn-test.jpg");
        detectRepeatedly(group, 30);
        long before = residentBytes(status);

        detectRepeatedly(group, 120);

        // A leaked input tensor alone would be 498 x 310 x 3 floats = 1.85 MB per call, 220 MB over the loop.
        long growth = residentBytes(status) - before;
        assertThat(growth).as("resident memory growth in bytes").isLessThan(64L << 20);
    }

    private static void detectRepeatedly(BufferedImage image, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(detector.detect(image, MIN_FACE_20)).hasSize(6);
        }
    }

    private static long residentBytes(Path status) throws IOException {
        return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                .findFirst()
                .orElseThrow();
    }

    private static void assertWellFormed(List<Face> faces, int width, int height) {
        assertThat(faces).isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
        for (Face face : faces) {
            BoundingBox box = face.box();
            assertThat(box.x1()).isBetween(0f, (float) width);
            assertThat(box.x2()).isBetween(box.x1(), (float) width);
            assertThat(box.y1()).isBetween(0f, (float) height);
            assertThat(box.y2()).isBetween(box.y1(), (float) height);
            assertThat(box.width()).isGreaterThanOrEqualTo(15f);
            assertThat(face.score()).isGreaterThan(0.6f).isLessThanOrEqualTo(1f);
            for (Point p : face.landmarks()) {
                assertThat(p.x()).isBetween(box.x1(), box.x2());
                assertThat(p.y()).isBetween(box.y1(), box.y2());
            }
            // Left eye left of right eye, eyes above the mouth: landmarks are (x, y), not swapped.
            assertThat(face.landmarks().get(0).x()).isLessThan(face.landmarks().get(1).x());
            assertThat(face.landmarks().get(0).y()).isLessThan(face.landmarks().get(3).y());
        }
        for (int i = 0; i < faces.size(); i++) {
            for (int j = i + 1; j < faces.size(); j++) {
                assertThat(faces.get(i).box().iou(faces.get(j).box())).as("overlap of faces %d and %d", i, j)
                        .isLessThanOrEqualTo(0.5f);
            }
        }
    }
}
