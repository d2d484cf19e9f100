package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.BoundingBox;
import io.sightline.model.Face;
import io.sightline.model.ModelStore;
import io.sightline.udf.UdfResult.Emitted;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** face-annotate with the real MTCNN detector from the model store, on the shared sample photos. */
class FaceAnnotateMtcnnTest {

    @TempDir
    static Path cache;

    private static ModelStore store;
    private static UdfRuntime runtime;

    @BeforeAll
    static void open() {
        store = TestFrames.modelStore(cache);
        runtime = UdfRuntime.faceAnnotate(store.faceDetector(), UdfConfig.defaults());
    }

    @AfterAll
    static void close() {
        if (runtime != null) {
            runtime.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void annotatesAll29PeopleInTheSolvayPhoto() {
        byte[] solvay = TestFrames.sampleImage("solvay-1927.jpg");
        try (UdfInstance udf = runtime.newInstance()) {
            Emitted emitted = (Emitted) udf.process(TestFrames.frame("solvay", ImageEncoding.JPEG, 960, 661, solvay));

            assertThat(emitted.faces()).hasSize(29);
            assertThat(emitted.faces()).allSatisfy(face -> assertThat(face.score()).isGreaterThanOrEqualTo(0.8f));
            BufferedImage annotated = TestFrames.decode(emitted.annotated().orElseThrow().bytes());
            assertThat(annotated.getWidth()).isEqualTo(960);
            assertThat(annotated.getHeight()).isEqualTo(661);
        }
    }

    @Test
    void findsTheSameFacesInASubsampledDecodeAndReportsThemInOriginalPixels() {
        byte[] solvay = TestFrames.sampleImage("solvay-1927.jpg");
        BufferedImage doubled = new BufferedImage(1920, 1322, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = doubled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(TestFrames.decode(solvay), 0, 0, 1920, 1322, null);
        g.dispose();
        byte[] big = TestFrames.encode(doubled, "jpeg");
        // 1920x1322 is decoded at every second pixel: 960x661, the size the original was photographed at.
        var limits = new ImageLimits(10_000_000, 700_000, ImageLimits.DEFAULT_MAX_IMAGE_BYTES, 0.85f);
        List<Face> original;
        try (UdfInstance udf = runtime.newInstance()) {
            original = ((Emitted) udf.process(TestFrames.frame("s", ImageEncoding.JPEG, 960, 661, solvay))).faces();
        }

        try (UdfRuntime subsampling = UdfRuntime.faceAnnotate(store.faceDetector(),
                        UdfConfig.defaults().withImages(limits));
                UdfInstance udf = subsampling.newInstance()) {
            Emitted emitted = (Emitted) udf.process(TestFrames.frame("big", ImageEncoding.JPEG, 1920, 1322, big));

            assertThat(emitted.imageWidth()).isEqualTo(1920);
            assertThat(emitted.annotated().orElseThrow().width()).isEqualTo(960);
            // Resampling twice moves pixels a little: a borderline face may come or go, the rest must match.
            assertThat(emitted.faces().size()).isBetween(original.size() - 1, original.size() + 1);
            long matched = emitted.faces().stream().map(Face::box)
                    .map(b -> new BoundingBox(b.x1() / 2, b.y1() / 2, b.x2() / 2, b.y2() / 2))
                    .filter(halved -> original.stream().anyMatch(o -> o.box().iou(halved) > 0.6f))
                    .count();
            assertThat(matched).isGreaterThanOrEqualTo(original.size() - 1L);
        }
    }

    @Test
    void annotatesTheSixPeopleInTheRgbaPng() {
        // The file is named .jpg but holds an RGBA PNG: the producer declares what the bytes are.
        byte[] group = TestFrames.sampleImage("tf-mtcnn-test.jpg");
        try (UdfInstance udf = runtime.newInstance()) {
            Emitted emitted = (Emitted) udf.process(TestFrames.frame("group", ImageEncoding.PNG, 498, 310, group));

            assertThat(emitted.faces()).hasSize(6);
        }
    }

    @Test
    void findsTheSameFacesWhenItsWasmIsLoadedAndCompiledAtRunTime() {
        byte[] group = TestFrames.sampleImage("tf-mtcnn-test.jpg");
        FrameInput frame = TestFrames.frame("group", ImageEncoding.PNG, 498, 310, group);
        byte[] wasm = TestUdfs.wasm("/io/sightline/udf/bundled/face-annotate.wasm");
        UdfDeployment deployed = UdfDeployment.of("face-annotate", runtime.info().version(), wasm);
        try (UdfRuntime loaded = UdfRuntime.load(deployed, store.faceDetector(), UdfConfig.defaults());
                UdfInstance buildTime = runtime.newInstance();
                UdfInstance runTime = loaded.newInstance()) {
            Emitted expected = (Emitted) buildTime.process(frame);
            Emitted actual = (Emitted) runTime.process(frame);

            assertThat(actual.faces()).hasSize(6).isEqualTo(expected.faces());
            assertThat(loaded.info()).isEqualTo(runtime.info());
        }
    }
}
