package io.sightline.stream;

import io.sightline.model.DetectionOptions;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelInfo;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.FrameLimits;
import io.sightline.udf.ImageLimits;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfRuntime;
import java.util.function.BiFunction;

/** The model store and the UDF runtime on top of it, opened and closed together (runtime first). */
public final class UdfStack implements AutoCloseable {

    private final ModelStore models;
    private final UdfRuntime runtime;

    private UdfStack(ModelStore models, UdfRuntime runtime) {
        this.models = models;
        this.runtime = runtime;
    }

    /** The stream's UDF chain: the bundled face-annotate. */
    public static UdfStack open(ModelStoreConfig modelConfig, DetectionOptions detection, FrameLimits limits) {
        return open(modelConfig, detection, limits, UdfRuntime::faceAnnotate);
    }

    /**
     * @param limits how large an image is decoded, and how large an annotated image may be
     * @param udf    makes the runtime from the detector and the limits, e.g. by loading a module
     */
    public static UdfStack open(ModelStoreConfig modelConfig, DetectionOptions detection, FrameLimits limits,
            BiFunction<FaceDetector, UdfConfig, UdfRuntime> udf) {
        return open(modelConfig, udfConfig(detection, limits), udf);
    }

    /** The model store and a runtime made by {@code udf} under {@code config}. */
    public static UdfStack open(ModelStoreConfig modelConfig, UdfConfig config,
            BiFunction<FaceDetector, UdfConfig, UdfRuntime> udf) {
        ModelStore models = ModelStore.open(modelConfig);
        try {
            return new UdfStack(models, udf.apply(models.faceDetector(), config));
        } catch (RuntimeException e) {
            models.close();
            throw e;
        }
    }

    /** The limits a UDF runtime runs under, with lossless PNG snapshots (JPEG only when a PNG would not fit). */
    public static UdfConfig udfConfig(DetectionOptions detection, FrameLimits limits) {
        return udfConfig(detection, limits, SnapshotEncoding.lossless());
    }

    /** The limits every UDF runtime of the stream runs under, with snapshots encoded as {@code snapshots} says. */
    public static UdfConfig udfConfig(DetectionOptions detection, FrameLimits limits, SnapshotEncoding snapshots) {
        UdfConfig defaults = UdfConfig.defaults();
        var images = new ImageLimits(limits.maxPixels(), limits.maxDecodePixels(), limits.maxPayloadBytes(),
                ImageLimits.DEFAULT_JPEG_QUALITY);
        return new UdfConfig(detection, defaults.memoryMaxPages(), defaults.timeBudget(), snapshots.apply(images));
    }

    public UdfRuntime runtime() {
        return runtime;
    }

    /** The shared TensorFlow session the UDFs call, for measuring inference alone. */
    public FaceDetector detector() {
        return models.faceDetector();
    }

    public ModelInfo model() {
        return models.faceDetector().model();
    }

    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            models.close();
        }
    }
}
