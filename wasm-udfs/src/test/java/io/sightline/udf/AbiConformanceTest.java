package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.sightline.model.DetectionOptions;
import io.sightline.model.Face;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelInfo;
import io.sightline.model.ModelStore;
import io.sightline.udf.UdfResult.Dropped;
import io.sightline.udf.UdfResult.Emitted;
import io.sightline.udf.UdfResult.Failed;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ABI conformance suite: one UDF program written three times (src/test/conformance: conformance.ts,
 * conformance.rs on the Rust SDK, conformance.c on the C header), each compiled by the build with its own toolchain,
 * loaded through the public {@link UdfRuntime#load} and run on the same frames. Every case must give the same
 * result in every edition. The frame's camera id picks the case:
 * <ul>
 *   <li>{@code meta}: emits one record carrying image size, camera id, capture time, config, init and frame counts;
 *   <li>{@code detect}: detects (host minimum), draws every box and landmark, emits all faces and the image;
 *   <li>{@code detect-min}: detects with a 40 px minimum face, drops;
 *   <li>{@code drop}, {@code error} (status 42), {@code trap}, {@code loop}, {@code grow} (4096 pages, dropped when
 *       refused), {@code log} (then drops);
 *   <li>{@code bad-image}, {@code bad-face}, {@code bad-pointer}, {@code bad-coord}, {@code bad-log},
 *       {@code bad-record}: ABI misuse;
 *   <li>anything else: emits the frame's image unchanged.
 * </ul>
 * The config picks init's behaviour: {@code {"init":"fail"}} returns 3, {@code {"init":"trap"}} traps,
 * {@code {"init":"frame"}} calls a frame function outside on_frame.
 */
class AbiConformanceTest {

    /** The three builds of the conformance program. */
    enum Edition {
        ASSEMBLYSCRIPT("conformance-as"),
        RUST("conformance-rust"),
        C("conformance-c");

        private final String file;

        Edition(String file) {
            this.file = file;
        }

        byte[] wasm() {
            return TestUdfs.wasm("/conformance/" + file + ".wasm");
        }
    }

    private static final String NAME = "conformance";
    private static final Duration BUDGET = Duration.ofMillis(300);
    private static final UdfConfig LIMITS =
            new UdfConfig(DetectionOptions.defaults(), UdfConfig.DEFAULT_MEMORY_MAX_PAGES, BUDGET);
    private static final long CAPTURED_AT = 1_700_000_123_456L;
    private static final String CONFIG = "{\"label\":\"conformance ✓\",\"threshold\":0.8}";
    private static final int BOX_RGB = 0x00ff00;
    private static final int POINT_RGB = 0xff0000;
    private static final List<Face> FAKE_FACES = List.of(
            FakeFaceDetector.face(100, 80, 220, 230, 0.99f),
            FakeFaceDetector.face(400, 150, 520, 300, 0.85f));
    /** The cases the cross-edition comparison runs, in order, on one instance. */
    private static final List<String> SEQUENCE = List.of("meta", "pass", "detect", "detect-min", "drop", "error",
            "meta", "trap", "meta", "loop", "meta", "grow", "log", "bad-image", "bad-face", "bad-pointer", "bad-coord",
            "bad-log", "bad-record", "meta");

    @TempDir
    static Path cache;

    private static ModelStore store;

    @AfterAll
    static void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Edition.class)
    void reportsFrameMetadataConfigAndInitThroughTheHostFunctions(Edition edition) {
        byte[] config = CONFIG.getBytes(StandardCharsets.UTF_8);
        try (UdfRuntime runtime = load(edition, new FakeFaceDetector(List.of()), CONFIG);
                UdfInstance udf = runtime.newInstance()) {
            Emitted first = emitted(udf.process(frame("meta")));
            Emitted second = emitted(udf.process(frame("meta")));

            assertThat(first.annotated()).isEmpty();
            Face record = first.faces().get(0);
            assertThat(first.faces()).hasSize(1);
            assertThat(List.of(record.box().x2(), record.box().y2(), record.score()))
                    .containsExactly(640f, 480f, 0.5f);
            assertThat(coordinates(record)).containsExactly(
                    4f, (float) ("meta".chars().sum()),
                    1_700_000f, 123_456f,
                    (float) config.length, (float) byteSum(config),
                    1f, 1f,
                    1f, 0f);
            // Same instance: init ran once, the frame counter went on.
            assertThat(coordinates(second.faces().get(0)).subList(6, 8)).containsExactly(1f, 2f);
        }
    }

    @ParameterizedTest
    @EnumSource(Edition.class)
    void detectsDrawsAndEmitsTheDetectorsFaces(Edition edition) {
        try (UdfRuntime runtime = load(edition, new FakeFaceDetector(FAKE_FACES), UdfDeployment.NO_CONFIG);
                UdfInstance udf = runtime.newInstance()) {
            BufferedImage unchanged = image(emitted(udf.process(frame("pass"))));
            Emitted detected = emitted(udf.process(frame("detect")));

            assertThat(detected.faces()).isEqualTo(FAKE_FACES);
            BufferedImage annotated = image(detected);
            Face first = FAKE_FACES.get(0);
            int middleY = Math.round((first.box().y1() + first.box().y2()) / 2);
            assertThat(rgb(annotated, Math.round(first.box().x1()), middleY)).isEqualTo(BOX_RGB);
            assertThat(rgb(annotated, Math.round(first.box().x2()) - 1, middleY)).isEqualTo(BOX_RGB);
            var nose = first.landmarks().get(2);
            assertThat(rgb(annotated, Math.round(nose.x()), Math.round(nose.y()))).isEqualTo(POINT_RGB);
            // Outside the boxes the picture is untouched; inside a box, away from lines and points, too.
            assertThat(rgb(annotated, 10, 10)).isEqualTo(rgb(unchanged, 10, 10));
            assertThat(rgb(annotated, 600, 450)).isEqualTo(rgb(unchanged, 600, 450));
            assertThat(rgb(annotated, 110, 90)).isEqualTo(rgb(unchanged, 110, 90));
            assertThat(changedPixels(unchanged, annotated)).isBetween(2_000, 6_000);
        }
    }

    @ParameterizedTest
    @EnumSource(Edition.class)
    void passesTheMinimumFaceSizeToTheDetectorOrAsksForTheHostDefault(Edition edition) {
        FakeFaceDetector detector = new FakeFaceDetector(FAKE_FACES);
        try (UdfRuntime runtime = load(edition, detector, UdfDeployment.NO_CONFIG);
                UdfInstance udf = runtime.newInstance()) {
            assertThat(udf.process(frame("detect-min"))).isInstanceOf(Dropped.class);
            emitted(udf.process(frame("detect")));

            assertThat(detector.calls()).containsExactly(new DetectionOptions(40), LIMITS.detection());
        }
    }

    @ParameterizedTest
    @EnumSource(Edition.class)
    void dropsLogsAndReportsItsOwnErrorStatus(Edition edition) {
        try (UdfRuntime runtime = load(edition, new FakeFaceDetector(List.of()), UdfDeployment.NO_CONFIG);
                UdfInstance udf = runtime.newInstance()) {
            assertThat(udf.process(frame("drop"))).isInstanceOf(Dropped.class);
            assertThat(udf.process(frame("log"))).isInstanceOf(Dropped.class);
            assertThat(udf.process(frame("grow"))).as("memory.grow past the cap returns -1").isInstanceOf(Dropped.class);
            Failed error = failed(udf.process(frame("error")), FailureCode.UDF_ERROR);
            assertThat(error.message()).isEqualTo(NAME + "@1.0.0 returned error status 42");
        }
    }

    @ParameterizedTest
    @EnumSource(Edition.class)
    void trapsTimeoutsAndAbiMisuseFailTheFrameAndTheNextFrameRunsOnAFreshInstance(Edition edition) {
        Map<String, FailureCode> cases = new LinkedHashMap<>();
        cases.put("trap", FailureCode.UDF_TRAP);
        cases.put("loop", FailureCode.UDF_TIMEOUT);
        cases.put("bad-image", FailureCode.UDF_ABI);
        cases.put("bad-face", FailureCode.UDF_ABI);
        cases.put("bad-pointer", FailureCode.UDF_ABI);
        cases.put("bad-coord", FailureCode.UDF_ABI);
        cases.put("bad-log", FailureCode.UDF_ABI);
        cases.put("bad-record", FailureCode.UDF_ABI);
        Map<String, String> reasons = Map.of(
                "bad-image", "unknown image handle 999",
                "bad-face", "face index 2 out of range",
                "bad-pointer", "out of bounds",
                "bad-coord", "x1 must be finite",
                "bad-log", "log level must be 0..3",
                "bad-record", "box corners out of order");
        try (UdfRuntime runtime = load(edition, new FakeFaceDetector(FAKE_FACES), UdfDeployment.NO_CONFIG);
                UdfInstance udf = runtime.newInstance()) {
            for (var entry : cases.entrySet()) {
                emitted(udf.process(frame("meta")));
                long start = System.nanoTime();
                Failed failure = failed(udf.process(frame(entry.getKey())), entry.getValue());
                long millis = (System.nanoTime() - start) / 1_000_000;

                assertThat(failure.message()).startsWith(NAME + "@1.0.0 ")
                        .contains(reasons.getOrDefault(entry.getKey(), ""));
                assertThat(millis).as(entry.getKey() + " comes back within budget + 100 ms")
                        .isLessThan(BUDGET.toMillis() + 100);
                // The failed instance was discarded: start function and init ran again, the frame count restarted.
                Face record = emitted(udf.process(frame("meta"))).faces().get(0);
                assertThat(coordinates(record).subList(6, 8)).as("after " + entry.getKey()).containsExactly(1f, 1f);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Edition.class)
    void aDetectorFailureIsAnInferenceFailure(Edition edition) {
        FakeFaceDetector detector = new FakeFaceDetector(FAKE_FACES);
        try (UdfRuntime runtime = load(edition, detector, UdfDeployment.NO_CONFIG);
                UdfInstance udf = runtime.newInstance()) {
            detector.failWith(new IllegalStateException("session closed"));

            failed(udf.process(frame("detect")), FailureCode.INFERENCE);
            assertThat(emitted(udf.process(frame("detect"))).faces()).isEqualTo(FAKE_FACES);
        }
    }

    @ParameterizedTest
    @EnumSource(Edition.class)
    void initThatFailsTrapsOrMisusesTheAbiRefusesTheModuleAtLoad(Edition edition) {
        FakeFaceDetector detector = new FakeFaceDetector(List.of());
        assertThatThrownBy(() -> load(edition, detector, "{\"init\":\"fail\"}"))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage(NAME + "@1.0.0 init returned error status 3");
        assertThatThrownBy(() -> load(edition, detector, "{\"init\":\"trap\"}"))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessageStartingWith(NAME + "@1.0.0 trapped in init: ");
        assertThatThrownBy(() -> load(edition, detector, "{\"init\":\"frame\"}"))
                .isInstanceOf(UdfDeploymentException.class)
                .hasMessage(NAME + "@1.0.0 broke the ABI in init: this host function is only available during process");
    }

    @Test
    void everyEditionGivesTheSameResultForEveryCase() {
        Map<Edition, List<String>> outcomes = new EnumMap<>(Edition.class);
        for (Edition edition : Edition.values()) {
            try (UdfRuntime runtime = load(edition, new FakeFaceDetector(FAKE_FACES), CONFIG);
                    UdfInstance udf = runtime.newInstance()) {
                List<String> results = new ArrayList<>();
                for (String camera : SEQUENCE) {
                    results.add(camera + " -> " + outcome(udf.process(frame(camera))));
                }
                outcomes.put(edition, results);
            }
        }

        List<String> reference = outcomes.get(Edition.ASSEMBLYSCRIPT);
        assertThat(reference).hasSize(SEQUENCE.size());
        assertThat(reference.get(2)).startsWith("detect -> emitted 2 faces").doesNotContain("image none");
        assertThat(outcomes.get(Edition.RUST)).containsExactlyElementsOf(reference);
        assertThat(outcomes.get(Edition.C)).containsExactlyElementsOf(reference);
    }

    @Test
    void realMtcnnFacesAndAnnotatedPixelsOfTheSolvayPhotoAreTheSameInEveryEdition() {
        RecordingDetector detector = new RecordingDetector(mtcnn());
        byte[] solvay = TestFrames.sampleImage("solvay-1927.jpg");
        FrameInput frame = new FrameInput("detect", "solvay", CAPTURED_AT, ImageEncoding.JPEG, 960, 661, solvay);
        Map<Edition, String> outcomes = new EnumMap<>(Edition.class);
        for (Edition edition : Edition.values()) {
            try (UdfRuntime runtime = load(edition, detector, UdfDeployment.NO_CONFIG);
                    UdfInstance udf = runtime.newInstance()) {
                Emitted emitted = emitted(udf.process(frame));

                // The faces MTCNN found crossed the ABI both ways unchanged.
                assertThat(emitted.faces()).isEqualTo(detector.last());
                assertThat(emitted.faces()).hasSizeGreaterThanOrEqualTo(29);
                outcomes.put(edition, outcome(emitted));
            }
        }
        assertThat(outcomes.get(Edition.RUST)).isEqualTo(outcomes.get(Edition.ASSEMBLYSCRIPT));
        assertThat(outcomes.get(Edition.C)).isEqualTo(outcomes.get(Edition.ASSEMBLYSCRIPT));
    }

    private static UdfRuntime load(Edition edition, FaceDetector detector, String config) {
        return UdfRuntime.load(new UdfDeployment(NAME, TestUdfs.VERSION, edition.wasm(), config), detector, LIMITS);
    }

    private static FrameInput frame(String camera) {
        return new FrameInput(camera, camera + "-1", CAPTURED_AT, ImageEncoding.JPEG, TestFrames.WIDTH,
                TestFrames.HEIGHT, GRADIENT);
    }

    private static final byte[] GRADIENT = TestFrames.gradientJpeg();

    /** What a result is, in terms every edition must agree on: kind, code, faces and the emitted pixels. */
    private static String outcome(UdfResult result) {
        if (result instanceof Emitted emitted) {
            return "emitted " + emitted.faces().size() + " faces " + emitted.faces() + ", image "
                    + emitted.annotated().map(encoded -> pixelHash(TestFrames.decode(encoded.bytes()))).orElse("none");
        }
        if (result instanceof Failed failed) {
            return "failed " + failed.code() + " at " + failed.stage();
        }
        return "dropped";
    }

    private static Emitted emitted(UdfResult result) {
        if (result instanceof Emitted emitted) {
            return emitted;
        }
        return fail("expected an emitted result, got " + result);
    }

    private static Failed failed(UdfResult result, FailureCode code) {
        if (result instanceof Failed failed && failed.code() == code) {
            return failed;
        }
        return fail("expected a " + code + " failure, got " + result);
    }

    private static BufferedImage image(Emitted emitted) {
        return TestFrames.decode(emitted.annotated().orElseThrow().bytes());
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    private static int changedPixels(BufferedImage before, BufferedImage after) {
        int changed = 0;
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                if (before.getRGB(x, y) != after.getRGB(x, y)) {
                    changed++;
                }
            }
        }
        return changed;
    }

    private static String pixelHash(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        ByteBuffer pixels = ByteBuffer.allocate(width * height * 4);
        pixels.asIntBuffer().put(image.getRGB(0, 0, width, height, null, 0, width));
        try {
            return width + "x" + height + " sha256 "
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pixels.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The five landmarks as x, y, x, y, ...: the meta record's payload. */
    private static List<Float> coordinates(Face record) {
        return record.landmarks().stream().flatMap(point -> List.of(point.x(), point.y()).stream()).toList();
    }

    private static int byteSum(byte[] bytes) {
        int sum = 0;
        for (byte b : bytes) {
            sum += b & 0xFF;
        }
        return sum;
    }

    private static synchronized FaceDetector mtcnn() {
        if (store == null) {
            store = TestFrames.modelStore(cache);
        }
        return store.faceDetector();
    }

    /** The real detector, remembering what it last returned. */
    private static final class RecordingDetector implements FaceDetector {

        private final FaceDetector delegate;
        private List<Face> last = List.of();

        RecordingDetector(FaceDetector delegate) {
            this.delegate = delegate;
        }

        synchronized List<Face> last() {
            return last;
        }

        @Override
        public synchronized List<Face> detect(BufferedImage image, DetectionOptions options) {
            last = delegate.detect(image, options);
            return last;
        }

        @Override
        public ModelInfo model() {
            return delegate.model();
        }

        @Override
        public void close() {}
    }
}
