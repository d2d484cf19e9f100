package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.model.Face;
import io.sightline.model.ModelStore;
import io.sightline.udf.UdfResult.Emitted;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SDK examples (wasm-udfs/sdk: face-box in Rust and in C, built by the Maven build) load as deployed modules and
 * outline the faces MTCNN finds in the Solvay photo.
 */
class SdkExamplesTest {

    private static final int GREEN = 0x00c853;

    @TempDir
    static Path cache;

    private static ModelStore store;

    @BeforeAll
    static void open() {
        store = TestFrames.modelStore(cache);
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"face-box-rust", "face-box-c"})
    void outlinesEveryFaceInTheSolvayPhoto(String example) {
        byte[] wasm = TestUdfs.wasm("/io/sightline/udf/sdk/" + example + ".wasm");
        byte[] solvay = TestFrames.sampleImage("solvay-1927.jpg");
        FrameInput frame = TestFrames.frame("solvay", ImageEncoding.JPEG, 960, 661, solvay);
        List<Face> expected = store.faceDetector().detect(TestFrames.decode(solvay), UdfConfig.defaults().detection());
        try (UdfRuntime runtime = UdfRuntime.load(UdfDeployment.of(example, "1", wasm), store.faceDetector(),
                        UdfConfig.defaults());
                UdfInstance udf = runtime.newInstance()) {
            Emitted emitted = (Emitted) udf.process(frame);

            assertThat(emitted.faces()).hasSizeGreaterThanOrEqualTo(29).hasSize(expected.size());
            BufferedImage annotated = TestFrames.decode(emitted.annotated().orElseThrow().bytes());
            assertThat(annotated.getWidth()).isEqualTo(960);
            for (Face face : emitted.faces()) {
                int x = Math.round(face.box().x1());
                int y = Math.round((face.box().y1() + face.box().y2()) / 2);
                assertThat(annotated.getRGB(x, y) & 0xFFFFFF).as("left edge of " + face.box()).isEqualTo(GREEN);
            }
            BufferedImage original = TestFrames.decode(solvay);
            assertThat(annotated.getRGB(2, 2)).isEqualTo(original.getRGB(2, 2));
        }
    }
}
