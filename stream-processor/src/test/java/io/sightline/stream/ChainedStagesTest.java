package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.avro.AnnotatedFrame;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.FaceDetection;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.UdfRef;
import io.sightline.udf.UdfConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A chain of stages on the real detector: [face-blur, face-annotate] decodes the frame once, runs MTCNN once, and
 * the snapshot shows the blurred faces with their boxes; the event names both stages.
 */
class ChainedStagesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
    private static final String PIPELINES = """
            pipelines:
              - name: private
                cameras: [a]
                stages:
                  - udf: face-blur
                    outputs: [blurred]
                  - face-annotate
              - name: default
                cameras: ["*"]
                stages: [face-annotate]
            """;

    private static ModelStore models;
    private static TopologyHarness harness;
    private static byte[] solvay;

    @BeforeAll
    static void open() throws Exception {
        Path assets = Path.of(System.getProperty("sightline.assets", "../../shared"));
        if (!Files.isRegularFile(assets.resolve("models/mtcnn/mtcnn.pb"))) {
            fail("asset dir " + assets + " has no models/mtcnn/mtcnn.pb: set -Dsightline.assets=DIR");
        }
        models = ModelStore.open(ModelStoreConfig.fromEnvironment(assets));
        solvay = Files.readAllBytes(assets.resolve("images/solvay-1927.jpg"));
        harness = new TopologyHarness("chain", NOW);
    }

    @AfterAll
    static void close() {
        if (harness != null) {
            harness.close();
        }
        if (models != null) {
            models.close();
        }
    }

    @Test
    void blurThenAnnotateRunsOneDetectionAndBoxesTheBlurredFaces() throws Exception {
        Pipelines pipelines = PipelinesFile.parse(PIPELINES, "pipelines.yaml");
        try (PipelineUdfs udfs = PipelineUdfs.open(pipelines, Map.of(), models.faceDetector(), UdfConfig.defaults());
                TopologyTestDriver driver = harness.driver(udfs)) {
            var frames = harness.frames(driver);
            var detections = harness.detections(driver);
            var annotated = driver.createOutputTopic(harness.topics.annotated(), new StringDeserializer(),
                    harness.deserializer(AnnotatedFrame.class));

            frames.pipeInput("a", solvayFrame("a"));
            frames.pipeInput("b", solvayFrame("b"));

            assertThat(harness.deadLetters(driver).readValuesToList()).extracting(l -> l.getReasonCode() + ": "
                    + l.getMessage()).isEmpty();
            List<DetectionEvent> events = detections.readValuesToList();
            assertThat(events).extracting(DetectionEvent::getCameraId).containsExactly("a", "b");
            DetectionEvent chained = events.get(0);
            DetectionEvent single = events.get(1);
            assertThat(chained.getStages()).extracting(UdfRef::getName).containsExactly("face-blur", "face-annotate");
            assertThat(single.getStages()).extracting(UdfRef::getName).containsExactly("face-annotate");
            assertThat(chained.getTimings().getInferences()).as("one detection for the whole chain").isEqualTo(1);
            assertThat(single.getTimings().getInferences()).isEqualTo(1);
            assertThat(chained.getFaces()).hasSize(29).hasSameSizeAs(single.getFaces());

            List<AnnotatedFrame> images = annotated.readValuesToList();
            assertThat(images).extracting(AnnotatedFrame::getCameraId).containsExactly("a", "b");
            BufferedImage blurred = image(images.get(0));
            BufferedImage sharp = image(images.get(1));
            BufferedImage original = ImageIO.read(new ByteArrayInputStream(solvay));
            int blurredFaces = 0;
            for (FaceDetection face : chained.getFaces()) {
                int x1 = Math.round(face.getBox().getX1());
                int y1 = Math.round(face.getBox().getY1());
                int x2 = Math.round(face.getBox().getX2());
                int y2 = Math.round(face.getBox().getY2());
                double inSharp = detail(sharp, x1 + 3, y1 + 3, x2 - 3, y2 - 3);
                double inBlurred = detail(blurred, x1 + 3, y1 + 3, x2 - 3, y2 - 3);
                // Both snapshots carry the same landmarks; only the chained one was blurred under them.
                if (inBlurred < inSharp * 0.6) {
                    blurredFaces++;
                }
                // The box is drawn on both: its top edge differs from the source image.
                assertThat(changed(original, blurred, x1, y1, x2)).as("box drawn over the blurred face").isGreaterThan(0.5);
            }
            assertThat(blurredFaces).as("faces blurred in the chained snapshot").isEqualTo(chained.getFaces().size());
        }
    }

    private static Frame solvayFrame(String camera) {
        return Frame.newBuilder().setCameraId(camera).setFrameId(camera + "-1").setCapturedAt(NOW)
                .setEncoding(ImageEncoding.JPEG).setWidth(960).setHeight(661)
                .setPayload(ByteBuffer.wrap(solvay)).build();
    }

    private static BufferedImage image(AnnotatedFrame frame) throws Exception {
        ByteBuffer bytes = frame.getImage().duplicate();
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return ImageIO.read(new ByteArrayInputStream(array));
    }

    /** Mean absolute difference of horizontally neighbouring grey levels: high on a sharp face, low once blurred. */
    private static double detail(BufferedImage image, int x1, int y1, int x2, int y2) {
        double sum = 0;
        int count = 0;
        for (int y = Math.max(0, y1); y < Math.min(image.getHeight(), y2); y++) {
            for (int x = Math.max(0, x1); x + 1 < Math.min(image.getWidth(), x2); x++) {
                sum += Math.abs(grey(image.getRGB(x, y)) - grey(image.getRGB(x + 1, y)));
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /** Share of the pixels along a box's top edge that moved by more than 48 in some channel. */
    private static double changed(BufferedImage before, BufferedImage after, int x1, int y, int x2) {
        int moved = 0;
        int total = 0;
        for (int x = Math.max(0, x1); x < Math.min(before.getWidth(), x2); x++) {
            int a = before.getRGB(x, Math.max(0, y));
            int b = after.getRGB(x, Math.max(0, y));
            int delta = Math.max(Math.abs(((a >> 16) & 255) - ((b >> 16) & 255)),
                    Math.max(Math.abs(((a >> 8) & 255) - ((b >> 8) & 255)), Math.abs((a & 255) - (b & 255))));
            moved += delta > 48 ? 1 : 0;
            total++;
        }
        return total == 0 ? 0 : (double) moved / total;
    }

    private static int grey(int rgb) {
        return (((rgb >> 16) & 255) * 299 + ((rgb >> 8) & 255) * 587 + (rgb & 255) * 114) / 1000;
    }
}
