package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.model.BoundingBox;
import io.sightline.model.DetectionOptions;
import io.sightline.model.Face;
import io.sightline.model.ModelStore;
import io.sightline.udf.UdfResult.Emitted;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled face-blur and crowd-alert UDFs with the real MTCNN detector, on the shared sample photos. */
class BundledUdfsMtcnnTest {

    /** The face-blur UDF blurs this fraction of a face's size beyond its box; the test allows two pixels more. */
    private static final float BLUR_MARGIN = 0.15f;

    @TempDir
    static Path cache;

    private static ModelStore store;
    private static byte[] solvay;
    private static byte[] group;
    private static byte[] fewFaces;

    @BeforeAll
    static void open() {
        store = TestFrames.modelStore(cache);
        solvay = TestFrames.sampleImage("solvay-1927.jpg");
        group = TestFrames.sampleImage("tf-mtcnn-test.jpg");
        // The left third of the Solvay photo's top rows: a few people, not a crowd.
        BufferedImage crop = TestFrames.decode(solvay).getSubimage(0, 0, 300, 250);
        BufferedImage copy = new BufferedImage(300, 250, BufferedImage.TYPE_3BYTE_BGR);
        copy.getGraphics().drawImage(crop, 0, 0, null);
        fewFaces = TestFrames.encode(copy, "png");
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void faceBlurBlursEveryFaceInTheSolvayPhotoAndLeavesTheRestUnchanged() {
        BufferedImage source = TestFrames.decode(solvay);
        try (UdfRuntime runtime = UdfRuntime.bundled("face-blur", UdfDeployment.NO_CONFIG, store.faceDetector(),
                        UdfConfig.defaults());
                UdfInstance udf = runtime.newInstance()) {
            Emitted emitted = (Emitted) udf.process(TestFrames.frame("solvay", ImageEncoding.JPEG, 960, 661, solvay));

            assertThat(emitted.faces()).hasSizeGreaterThanOrEqualTo(29);
            assertThat(emitted.annotated()).isEmpty();
            assertThat(emitted.outputs()).hasSize(1);
            UdfOutput output = emitted.outputs().get(0);
            assertThat(output.output()).isEqualTo("blurred");
            assertThat(output.contentType()).isEqualTo("image/png");
            BufferedImage blurred = TestFrames.decode(output.payload());

            double worstRatio = 0;
            for (Face face : emitted.faces()) {
                BoundingBox b = face.box();
                int x1 = Math.round(b.x1());
                int y1 = Math.round(b.y1());
                int x2 = Math.round(b.x2());
                int y2 = Math.round(b.y2());
                double before = TestFrames.laplacianVariance(source, x1, y1, x2, y2);
                double after = TestFrames.laplacianVariance(blurred, x1, y1, x2, y2);
                worstRatio = Math.max(worstRatio, after / before);
            }
            // Sharpness (Laplacian variance) inside every face box falls at least a hundredfold (measured: ≈ 1000×).
            assertThat(worstRatio).isLessThan(0.01);

            long outside = 0;
            long changed = 0;
            for (int y = 0; y < source.getHeight(); y++) {
                for (int x = 0; x < source.getWidth(); x++) {
                    if (nearAFace(emitted.faces(), x, y)) {
                        continue;
                    }
                    outside++;
                    if (blurred.getRGB(x, y) != source.getRGB(x, y)) {
                        changed++;
                    }
                }
            }
            assertThat(outside).as("pixels away from every face").isGreaterThan(source.getWidth() * source.getHeight() / 2L);
            assertThat(changed).as("pixels changed away from every face").isZero();
        }
    }

    @Test
    void crowdAlertEmitsOneAlertPerEpisodeOfCrowdedFrames() {
        List<String> alerts = new ArrayList<>();
        UdfState state = UdfState.inMemory();
        // Crowded (C) or few (f): C C f | C C C C f | C C C -> episodes of 2 (too short), 4 and 3 frames.
        String sequence = "CCfCCCCfCCC";
        try (UdfRuntime runtime = crowdAlert("{\"minFaces\": 5, \"frames\": 3}");
                UdfInstance udf = runtime.newInstance()) {
            for (int i = 0; i < sequence.length(); i++) {
                alerts.addAll(alerts(udf.process(frame(sequence.charAt(i), i), state)));
            }
        }

        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0)).isEqualTo("{\"cameraId\":\"gate\",\"frameId\":\"f5\",\"timestamp\":1700000005000,"
                + "\"faces\":" + facesIn('C', 5) + ",\"minFaces\":5,\"frames\":3,\"episodeStart\":1700000003000}");
        assertThat(alerts.get(1)).startsWith("{\"cameraId\":\"gate\",\"frameId\":\"f10\",\"timestamp\":1700000010000,")
                .endsWith(",\"episodeStart\":1700000008000}");
    }

    @Test
    void crowdAlertContinuesTheEpisodeOnAFreshInstanceWithTheSameState() {
        UdfState state = UdfState.inMemory();
        List<String> beforeFailover = new ArrayList<>();
        List<String> afterFailover = new ArrayList<>();
        try (UdfRuntime first = crowdAlert("{}"); UdfInstance udf = first.newInstance()) {
            for (int i = 0; i < 3; i++) {
                beforeFailover.addAll(alerts(udf.process(frame('C', i), state)));
            }
        }
        // Another processor takes over the camera: a new runtime and instance, the store's state.
        try (UdfRuntime second = crowdAlert("{}"); UdfInstance udf = second.newInstance()) {
            for (int i = 3; i < 5; i++) {
                afterFailover.addAll(alerts(udf.process(frame('C', i), state)));
            }
        }

        assertThat(beforeFailover).hasSize(1);
        assertThat(afterFailover).as("the same episode does not alert again").isEmpty();
    }

    @Test
    void crowdAlertAlertsOnAFreshInstanceThatCompletesAnEpisodeStartedBeforeFailover() {
        UdfState state = UdfState.inMemory();
        List<String> alerts = new ArrayList<>();
        try (UdfRuntime first = crowdAlert("{}"); UdfInstance udf = first.newInstance()) {
            alerts.addAll(alerts(udf.process(frame('C', 0), state)));
            alerts.addAll(alerts(udf.process(frame('C', 1), state)));
        }
        assertThat(alerts).isEmpty();
        try (UdfRuntime second = crowdAlert("{}"); UdfInstance udf = second.newInstance()) {
            alerts.addAll(alerts(udf.process(frame('C', 2), state)));
            alerts.addAll(alerts(udf.process(frame('C', 3), state)));
        }

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0)).contains("\"frameId\":\"f2\"").contains("\"episodeStart\":1700000000000");
    }

    @Test
    void sampleImagesAreCrowdedOrNotAsTheSequencesAssume() {
        assertThat(facesIn('C', 0)).isGreaterThanOrEqualTo(5);
        assertThat(facesIn('C', 1)).isGreaterThanOrEqualTo(5);
        assertThat(facesIn('f', 0)).isBetween(1, 4);
    }

    @Test
    void crowdAlertRefusesAConfigThatIsNotWholePositiveNumbers() {
        for (String config : List.of("{\"minFaces\": 0}", "{\"frames\": 2.5}", "{\"minFaces\": \"many\"}")) {
            assertThatThrownBy(() -> crowdAlert(config).close())
                    .isInstanceOf(UdfDeploymentException.class)
                    .hasMessageEndingWith("init returned error status 2");
        }
    }

    private static UdfRuntime crowdAlert(String config) {
        return UdfRuntime.bundled("crowd-alert", config, store.faceDetector(), UdfConfig.defaults());
    }

    /** Crowded frames alternate the two group photos; the others show a few faces. */
    private static FrameInput frame(char kind, int index) {
        long timestamp = 1_700_000_000_000L + index * 1000L;
        if (kind == 'C') {
            return index % 2 == 0
                    ? new FrameInput("gate", "f" + index, timestamp, ImageEncoding.PNG, 498, 310, group)
                    : new FrameInput("gate", "f" + index, timestamp, ImageEncoding.JPEG, 960, 661, solvay);
        }
        return new FrameInput("gate", "f" + index, timestamp, ImageEncoding.PNG, 300, 250, fewFaces);
    }

    /** Faces at the UDF's score threshold (0.8) in the frame of that kind and index. */
    private static int facesIn(char kind, int index) {
        FrameInput frame = frame(kind, index);
        return (int) store.faceDetector().detect(TestFrames.decode(frame.payload()), DetectionOptions.defaults())
                .stream().filter(face -> face.score() >= 0.8f).count();
    }

    private static List<String> alerts(UdfResult result) {
        assertThat(result).isInstanceOf(Emitted.class);
        return ((Emitted) result).outputs().stream()
                .peek(output -> assertThat(output.output()).isEqualTo("alerts"))
                .peek(output -> assertThat(output.contentType()).isEqualTo("application/json"))
                .map(output -> new String(output.payload(), StandardCharsets.UTF_8))
                .toList();
    }

    private static boolean nearAFace(List<Face> faces, int x, int y) {
        for (Face face : faces) {
            BoundingBox b = face.box();
            float margin = BLUR_MARGIN * Math.max(b.x2() - b.x1(), b.y2() - b.y1()) + 2;
            if (x >= b.x1() - margin && x <= b.x2() + margin && y >= b.y1() - margin && y <= b.y2() + margin) {
                return true;
            }
        }
        return false;
    }
}
