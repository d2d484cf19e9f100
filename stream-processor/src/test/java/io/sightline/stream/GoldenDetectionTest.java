package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfInstance;
import io.sightline.udf.UdfResult;
import io.sightline.udf.UdfRuntime;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Recorded outputs for the two shared images: the detection event (boxes and landmarks within ±1 px, scores within
 * ±0.01, volatile fields masked) and the annotation drawn on the frame (compared pixel by pixel, see
 * {@link #MASK_TOLERANCE}). A missing golden file fails the test; {@code -Dsightline.approve=true} re-records them,
 * to be reviewed and committed on purpose.
 */
class GoldenDetectionTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Instant CAPTURED = Instant.parse("2026-11-24T11:59:59.500Z");
    private static final Instant PROCESSED = Instant.parse("2026-11-24T12:00:00Z");
    private static final double PIXEL_TOLERANCE = 1.0;
    private static final double SCORE_TOLERANCE = 0.01;
    /** A pixel counts as drawn when a colour channel moved by more than this from the source image. */
    private static final int DRAWN_THRESHOLD = 48;
    /** Share of the golden drawn pixels that may differ (drawn in one image, not in the other). */
    private static final double MASK_TOLERANCE = 0.01;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean APPROVE = Boolean.getBoolean("sightline.approve");

    private static ModelStore models;
    private static UdfRuntime udfs;
    private static Path assets;

    @BeforeAll
    static void open() {
        assets = Path.of(System.getProperty("sightline.assets", "../../shared"));
        if (!Files.isRegularFile(assets.resolve("models/mtcnn/mtcnn.pb"))) {
            fail("asset dir " + assets + " has no models/mtcnn/mtcnn.pb: put the shared assets there or set -Dsightline.assets=DIR");
        }
        models = ModelStore.open(ModelStoreConfig.fromEnvironment(assets));
        udfs = UdfRuntime.faceAnnotate(models.faceDetector(), UdfConfig.defaults());
    }

    @AfterAll
    static void close() {
        if (udfs != null) {
            udfs.close();
        }
        if (models != null) {
            models.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"solvay-1927, JPEG, 960, 661", "tf-mtcnn-test, PNG, 498, 310"})
    void detectionEventAndAnnotationMatchTheRecordedOnes(String name, ImageEncoding encoding, int width, int height)
            throws Exception {
        byte[] source = Files.readAllBytes(assets.resolve("images/" + name + ".jpg"));
        Frame frame = Frame.newBuilder().setCameraId("golden").setFrameId(name).setCapturedAt(CAPTURED)
                .setEncoding(encoding).setWidth(width).setHeight(height).setPayload(ByteBuffer.wrap(source)).build();

        UdfResult.Emitted emitted;
        try (UdfInstance udf = udfs.newInstance()) {
            emitted = (UdfResult.Emitted) udf.process(FrameMapping.toInput(frame));
        }
        DetectionEvent event = FrameMapping.detectionEvent(frame, emitted, udfs.info(), udfs.model(), PROCESSED,
                Pipelines.DEFAULT_PIPELINE);
        BufferedImage drawn = drawnPixels(decode(source), decode(emitted.annotated().orElseThrow().bytes()));

        Path eventFile = GOLDEN.resolve(name + ".event.json");
        Path maskFile = GOLDEN.resolve(name + ".annotation-mask.png");
        if (APPROVE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(eventFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(masked(event)) + "\n");
            ImageIO.write(drawn, "png", maskFile.toFile());
        }
        if (!Files.isRegularFile(eventFile) || !Files.isRegularFile(maskFile)) {
            fail("golden files for " + name + " are missing under " + GOLDEN.toAbsolutePath()
                    + ": run once with -Dsightline.approve=true, review them and commit them");
        }
        assertEventMatches(masked(event), JSON.readTree(eventFile.toFile()));
        assertMaskMatches(drawn, ImageIO.read(maskFile.toFile()));
    }

    /** The event as JSON without what changes from run to run or build to build: timings and the UDF's build hash. */
    private static ObjectNode masked(DetectionEvent event) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(event.toString());
        json.remove("timings");
        ((ObjectNode) json.get("udf")).remove("sha256");
        ((ObjectNode) json.get("udf")).remove("version");
        return json;
    }

    private static void assertEventMatches(ObjectNode actual, JsonNode golden) {
        JsonNode actualFaces = actual.remove("faces");
        JsonNode goldenFaces = ((ObjectNode) golden.deepCopy()).remove("faces");
        ObjectNode goldenRest = golden.deepCopy();
        goldenRest.remove("faces");
        assertThat(actual).as("event fields other than faces").isEqualTo(goldenRest);
        assertThat(actualFaces).as("faces").hasSameSizeAs(goldenFaces);
        for (int i = 0; i < goldenFaces.size(); i++) {
            JsonNode face = actualFaces.get(i);
            JsonNode expected = goldenFaces.get(i);
            for (String corner : new String[] {"x1", "y1", "x2", "y2"}) {
                assertThat(face.at("/box/" + corner).asDouble()).as("face %d box %s", i, corner)
                        .isCloseTo(expected.at("/box/" + corner).asDouble(), within(PIXEL_TOLERANCE));
            }
            for (int l = 0; l < 5; l++) {
                for (String axis : new String[] {"x", "y"}) {
                    assertThat(face.at("/landmarks/" + l + "/" + axis).asDouble()).as("face %d landmark %d %s", i, l, axis)
                            .isCloseTo(expected.at("/landmarks/" + l + "/" + axis).asDouble(), within(PIXEL_TOLERANCE));
                }
            }
            assertThat(face.get("score").asDouble()).as("face %d score", i)
                    .isCloseTo(expected.get("score").asDouble(), within(SCORE_TOLERANCE));
        }
    }

    private static void assertMaskMatches(BufferedImage actual, BufferedImage golden) {
        assertThat(actual.getWidth()).isEqualTo(golden.getWidth());
        assertThat(actual.getHeight()).isEqualTo(golden.getHeight());
        long goldenDrawn = 0;
        long differing = 0;
        for (int y = 0; y < golden.getHeight(); y++) {
            for (int x = 0; x < golden.getWidth(); x++) {
                boolean expected = (golden.getRGB(x, y) & 0xffffff) != 0;
                boolean drawn = (actual.getRGB(x, y) & 0xffffff) != 0;
                goldenDrawn += expected ? 1 : 0;
                differing += expected != drawn ? 1 : 0;
            }
        }
        assertThat(goldenDrawn).as("pixels drawn in the golden annotation").isPositive();
        assertThat((double) differing / goldenDrawn).as("share of annotation pixels that differ (%d of %d)",
                differing, goldenDrawn).isLessThanOrEqualTo(MASK_TOLERANCE);
    }

    /** White where the annotation changed the source image, black elsewhere. */
    private static BufferedImage drawnPixels(BufferedImage source, BufferedImage annotated) {
        assertThat(annotated.getWidth()).isEqualTo(source.getWidth());
        assertThat(annotated.getHeight()).isEqualTo(source.getHeight());
        var mask = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < source.getHeight(); y++) {
            for (int x = 0; x < source.getWidth(); x++) {
                if (channelDistance(source.getRGB(x, y), annotated.getRGB(x, y)) > DRAWN_THRESHOLD) {
                    mask.setRGB(x, y, 0xffffff);
                }
            }
        }
        return mask;
    }

    private static int channelDistance(int a, int b) {
        int distance = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            distance = Math.max(distance, Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)));
        }
        return distance;
    }

    private static BufferedImage decode(byte[] image) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(image));
    }
}
