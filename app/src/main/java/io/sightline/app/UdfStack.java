package io.sightline.app;

import io.sightline.model.DetectionOptions;
import io.sightline.model.ModelInfo;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.udf.UdfConfig;
import io.sightline.udf.UdfRuntime;

/** The model store and the UDF runtime on top of it, opened and closed together (runtime first). */
final class UdfStack implements AutoCloseable {

    private final ModelStore models;
    private final UdfRuntime runtime;

    private UdfStack(ModelStore models, UdfRuntime runtime) {
        this.models = models;
        this.runtime = runtime;
    }

    static UdfStack open(ModelStoreConfig modelConfig, DetectionOptions detection) {
        ModelStore models = ModelStore.open(modelConfig);
        try {
            UdfConfig defaults = UdfConfig.defaults();
            UdfConfig config = new UdfConfig(detection, defaults.memoryMaxPages(), defaults.timeBudget());
            return new UdfStack(models, UdfRuntime.faceAnnotate(models.faceDetector(), config));
        } catch (RuntimeException e) {
            models.close();
            throw e;
        }
    }

    UdfRuntime runtime() {
        return runtime;
    }

    ModelInfo model() {
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
