package io.sightline.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.udf.UdfResult.Emitted;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
        Path assets = TestFrames.assets();
        if (!Files.isRegularFile(assets.resolve("models/mtcnn/mtcnn.pb"))) {
            fail("MTCNN model missing under " + assets + ": put the shared assets there or set -Dsightline.assets=DIR");
        }
        store = ModelStore.open(new ModelStoreConfig(Optional.of(assets), cache, false));
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
    void annotatesTheSixPeopleInTheRgbaPng() {
        // The file is named .jpg but holds an RGBA PNG: the producer declares what the bytes are.
        byte[] group = TestFrames.sampleImage("tf-mtcnn-test.jpg");
        try (UdfInstance udf = runtime.newInstance()) {
            Emitted emitted = (Emitted) udf.process(TestFrames.frame("group", ImageEncoding.PNG, 498, 310, group));

            assertThat(emitted.faces()).hasSize(6);
        }
    }
}
