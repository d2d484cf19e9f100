package io.sightline.model;

import io.sightline.model.internal.MtcnnFaceDetector;
import java.nio.file.Path;

/**
 * The models this process uses, resolved and verified once, loaded on first use and released on {@link #close()}.
 * Thread-safe.
 */
public final class ModelStore implements AutoCloseable {

    private final ModelStoreConfig config;
    private final Path mtcnnFile;
    private FaceDetector faceDetector;
    private boolean closed;

    private ModelStore(ModelStoreConfig config, Path mtcnnFile) {
        this.config = config;
        this.mtcnnFile = mtcnnFile;
    }

    /**
     * Resolves every model now, so a missing or corrupted file stops the process at start-up, not at the first frame.
     *
     * @throws ModelUnavailableException if a model is in no configured place and cannot be downloaded
     * @throws ModelIntegrityException   if a model file does not match its pinned sha256
     */
    public static ModelStore open(ModelStoreConfig config) {
        return new ModelStore(config, new AssetResolver(config).resolve(ModelSpec.MTCNN));
    }

    public ModelStoreConfig config() {
        return config;
    }

    /** The verified file the face detector loads. */
    public Path faceDetectorFile() {
        return mtcnnFile;
    }

    /**
     * The shared MTCNN face detector, loaded on the first call. The store owns it: callers use it from any thread
     * but never close it; {@link #close()} does.
     */
    public synchronized FaceDetector faceDetector() {
        if (closed) {
            throw new IllegalStateException("model store is closed");
        }
        if (faceDetector == null) {
            faceDetector = MtcnnFaceDetector.load(mtcnnFile, ModelSpec.MTCNN.info(), Runtime.getRuntime().availableProcessors());
        }
        return faceDetector;
    }

    /** Releases the native models, after waiting for detections in flight. */
    @Override
    public synchronized void close() {
        closed = true;
        if (faceDetector != null) {
            faceDetector.close();
            faceDetector = null;
        }
    }
}
