package io.sightline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Switching the face detector between model versions on the real MTCNN graph while detections run. */
class ModelSwapTest {

    private static final ModelManifest DEFAULT = ModelCatalog.bundled().get("mtcnn");
    private static final ModelManifest STRICT = ModelCatalog.bundled().get("mtcnn@tf-mtcnn-b7ffa19-strict");
    private static final DetectionOptions MIN_FACE_20 = new DetectionOptions(20);

    @TempDir
    Path cache;

    @Test
    void theCatalogKnowsBothVersionsAndPicksTheFirstAsDefault() {
        assertThat(DEFAULT.version()).isEqualTo("tf-mtcnn-b7ffa19");
        assertThat(STRICT.sha256()).isEqualTo(DEFAULT.sha256());
        assertThat(STRICT.defaultFloats("thresholds", new float[0])).containsExactly(0.7f, 0.8f, 0.9f);
        assertThatThrownBy(() -> ModelCatalog.bundled().get("mtcnn@9"))
                .hasMessageContaining("no model mtcnn@9")
                .hasMessageContaining("mtcnn@tf-mtcnn-b7ffa19-strict");
    }

    @Test
    void switchesWhileTwoThreadsDetectAndEveryResultNamesTheModelThatMadeIt() throws Exception {
        BufferedImage solvay = TestAssets.image("solvay-1927.jpg");
        try (ModelStore store = ModelStore.open(TestAssets.offlineConfig(cache))) {
            FaceDetector detector = store.faceDetector();
            int defaultFaces = detector.detect(solvay, MIN_FACE_20).size();
            var results = new ConcurrentLinkedQueue<Detections>();
            var stop = new AtomicBoolean();
            var started = new CountDownLatch(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> running = List.of(pool.submit(() -> loop(detector, solvay, results, stop, started)),
                        pool.submit(() -> loop(detector, solvay, results, stop, started)));
                assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

                ModelInfo replaced = store.activate(STRICT.label());
                ModelInfo afterSwitch = detector.model();
                Detections next = detector.detectWithModel(solvay, MIN_FACE_20);
                stop.set(true);
                for (Future<?> future : running) {
                    future.get(60, TimeUnit.SECONDS);
                }

                assertThat(replaced).isEqualTo(DEFAULT.info());
                assertThat(afterSwitch).isEqualTo(STRICT.info());
                assertThat(next.model()).isEqualTo(STRICT.info());
                // Stricter score floors keep a subset of the faces.
                assertThat(next.faces().size()).isLessThanOrEqualTo(defaultFaces).isPositive();
                assertThat(results).isNotEmpty().allSatisfy(result -> {
                    assertThat(result.model()).isIn(DEFAULT.info(), STRICT.info());
                    if (result.model().equals(DEFAULT.info())) {
                        assertThat(result.faces()).hasSize(defaultFaces);
                    } else {
                        assertThat(result.faces()).hasSize(next.faces().size());
                    }
                });
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
        }
    }

    @Test
    void switchesBackAndForthTwentyTimesAndKeepsDetecting() {
        BufferedImage picture = TestAssets.image("tf-mtcnn-test.jpg");
        try (ModelStore store = ModelStore.open(TestAssets.offlineConfig(cache))) {
            FaceDetector detector = store.faceDetector();
            for (int swap = 0; swap < 20; swap++) {
                ModelManifest target = swap % 2 == 0 ? STRICT : DEFAULT;
                store.activate(target.label());
                Detections found = detector.detectWithModel(picture, MIN_FACE_20);
                assertThat(found.model()).isEqualTo(target.info());
                assertThat(found.faces()).hasSize(6);
            }
        }
    }

    @Test
    void anUnknownVersionIsRefusedAndTheCurrentOneKeepsRunning() {
        try (ModelStore store = ModelStore.open(TestAssets.offlineConfig(cache))) {
            FaceDetector detector = store.faceDetector();

            assertThatThrownBy(() -> store.activate("mtcnn@nope")).hasMessageContaining("no model mtcnn@nope");

            assertThat(detector.model()).isEqualTo(DEFAULT.info());
            assertThat(detector.detect(TestAssets.image("tf-mtcnn-test.jpg"), MIN_FACE_20)).hasSize(6);
        }
    }

    private static void loop(FaceDetector detector, BufferedImage image, ConcurrentLinkedQueue<Detections> results,
            AtomicBoolean stop, CountDownLatch started) {
        started.countDown();
        while (!stop.get()) {
            results.add(detector.detectWithModel(image, MIN_FACE_20));
        }
    }
}
