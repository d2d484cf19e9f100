package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.DetectionOptions;
import io.sightline.udf.UdfResult.Dropped;
import io.sightline.udf.UdfResult.Emitted;
import io.sightline.udf.UdfResult.Failed;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Chains of real compiled UDFs: one decoded frame and one detection per frame shared by the stages. */
class UdfChainTest {

    private static final UdfConfig CONFIG =
            new UdfConfig(DetectionOptions.defaults(), UdfConfig.DEFAULT_MEMORY_MAX_PAGES, Duration.ofSeconds(1));

    private final FakeFaceDetector detector = new FakeFaceDetector(List.of(
            FakeFaceDetector.face(100, 100, 200, 210, 0.99f), FakeFaceDetector.face(400, 150, 480, 240, 0.95f)));
    private final List<UdfRuntime> runtimes = new ArrayList<>();

    @AfterEach
    void close() {
        runtimes.forEach(UdfRuntime::close);
    }

    @Test
    void laterStagesSeeWhatEarlierOnesBlurredAndReuseTheirDetection() {
        BufferedImage source = TestFrames.noise(640, 480, 11);
        FrameInput frame = new FrameInput("cam", "f-1", 1L, ImageEncoding.PNG, 640, 480,
                TestFrames.encode(source, "png"));
        try (UdfChain chain = UdfChain.of(List.of(bundled("face-blur"), bundled("face-annotate")))) {
            Emitted emitted = (Emitted) chain.process(frame, UdfState.inMemory());

            assertThat(detector.calls()).as("one inference for both stages").hasSize(1);
            assertThat(emitted.outputs()).extracting(UdfOutput::output).containsExactly("blurred");
            // face-annotate's image shows face-blur's work inside the box (away from the lines it drew).
            BufferedImage annotated = TestFrames.decode(emitted.annotated().orElseThrow().bytes());
            double sharp = TestFrames.laplacianVariance(source, 120, 120, 180, 150);
            assertThat(TestFrames.laplacianVariance(annotated, 120, 120, 180, 150)).isLessThan(sharp / 100);
            assertThat(emitted.faces()).hasSize(4);
            assertThat(chain.stages()).extracting(UdfInfo::name).containsExactly("face-blur", "face-annotate");
        }
    }

    @Test
    void detectsOncePerImageAcrossStages() {
        try (UdfChain chain = UdfChain.of(List.of(testUdf("host-api"), testUdf("host-api")))) {
            chain.process(TestFrames.jpegFrame("detect-twice"), UdfState.inMemory());
        }
        // The frame's image once for both stages; each stage's own crop is another image.
        assertThat(detector.calls()).hasSize(3);
    }

    @Test
    void aFailingStageEndsTheChainNamesItselfAndDiscardsEveryStagesStateWrites() {
        UdfState state = UdfState.inMemory();
        try (UdfChain chain = UdfChain.of(List.of(testUdf("host-api"), testUdf("misbehave")))) {
            // On "trap", host-api writes state and misbehave, the second stage, traps.
            UdfResult failed = chain.process(TestFrames.jpegFrame("trap"), state);

            assertThat(failed).isInstanceOfSatisfying(Failed.class, f -> {
                assertThat(f.code()).isEqualTo(FailureCode.UDF_TRAP);
                assertThat(f.message()).startsWith("misbehave@1.0.0 trapped: ");
            });
            assertThat(state.get("host-api/seen")).isEmpty();

            assertThat(chain.process(TestFrames.jpegFrame("remember"), state)).isInstanceOf(Emitted.class);
            assertThat(state.get("host-api/seen")).isPresent();
        }
    }

    @Test
    void aDroppingStageEndsTheChainNamingItselfAndKeepsStateWrites() {
        UdfState state = UdfState.inMemory();
        try (UdfChain chain = UdfChain.of(List.of(bundled("frame-sampler"), testUdf("host-api")))) {
            assertThat(chain.process(TestFrames.jpegFrame("count"), state)).isInstanceOf(Emitted.class);
            UdfResult second = chain.process(TestFrames.jpegFrame("count"), state);

            assertThat(second).isInstanceOfSatisfying(Dropped.class, dropped -> assertThat(dropped.reason())
                    .isEqualTo("frame-sampler@" + runtimes.get(0).info().version() + " dropped the frame"));
        }
        assertThat(state.get("frame-sampler/last/count")).isPresent();
        // host-api ran once: its count is 1.
        assertThat(state.get("host-api/count")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 0, 0, 0));
    }

    @Test
    void namesTheStageOfADecodeFailure() {
        FrameInput broken = new FrameInput("crop", "c-1", 1L, ImageEncoding.JPEG, 640, 480, new byte[] {1, 2, 3});
        try (UdfChain chain = UdfChain.of(List.of(bundled("frame-sampler"), testUdf("host-api")))) {
            UdfResult result = chain.process(broken, UdfState.inMemory());

            assertThat(result).isInstanceOfSatisfying(Failed.class, failed -> {
                assertThat(failed.code()).isEqualTo(FailureCode.IMAGE_DECODE);
                assertThat(failed.stage()).isEqualTo("decode");
                assertThat(failed.message()).startsWith("host-api@1.0.0: ");
            });
        }
    }

    @Test
    void aBlurredImageIsNeverTheFramesOwnBytesAnUntouchedOneIs() {
        BufferedImage source = TestFrames.noise(640, 480, 11);
        FrameInput frame = new FrameInput("cam", "f-1", 1L, ImageEncoding.PNG, 640, 480,
                TestFrames.encode(source, "png"));
        try (UdfChain chain = UdfChain.of(List.of(bundled("face-blur")))) {
            UdfOutput blurred = ((Emitted) chain.process(frame, UdfState.inMemory())).outputs().get(0);

            assertThat(blurred.payload()).as("faces blurred: encoded anew").isNotEqualTo(frame.payload());
            double sharp = TestFrames.laplacianVariance(source, 120, 120, 180, 150);
            assertThat(TestFrames.laplacianVariance(TestFrames.decode(blurred.payload()), 120, 120, 180, 150))
                    .isLessThan(sharp / 100);
        }
        UdfRuntime nobody = UdfRuntime.bundled("face-blur", UdfDeployment.NO_CONFIG,
                new FakeFaceDetector(List.of()), CONFIG);
        runtimes.add(nobody);
        try (UdfChain chain = UdfChain.of(List.of(nobody.newInstance()))) {
            UdfOutput untouched = ((Emitted) chain.process(frame, UdfState.inMemory())).outputs().get(0);

            assertThat(untouched.payload()).as("no face: the frame's own PNG, not encoded again")
                    .isEqualTo(frame.payload());
            assertThat(untouched.contentType()).isEqualTo("image/png");
        }
    }

    private UdfInstance bundled(String name) {
        UdfRuntime runtime = UdfRuntime.bundled(name, UdfDeployment.NO_CONFIG, detector, CONFIG);
        runtimes.add(runtime);
        return runtime.newInstance();
    }

    private UdfInstance testUdf(String name) {
        UdfRuntime runtime = TestUdfs.load(name, detector, CONFIG);
        runtimes.add(runtime);
        return runtime.newInstance();
    }
}
