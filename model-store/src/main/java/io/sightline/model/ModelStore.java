package io.sightline.model;

import io.sightline.model.internal.MtcnnFaceDetector;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The models this process uses, resolved and verified once, loaded on first use and released on {@link #close()}.
 * Thread-safe.
 */
public final class ModelStore implements AutoCloseable {

    /** TensorFlow's inter-op setting of the face detector's session (negative: every op on the calling thread). */
    public static final int TF_INTER_OP_THREADS = MtcnnFaceDetector.INTER_OP_THREADS;

    /** The role under which {@code models activate} records the face detector's version. */
    public static final String FACE_DETECTOR_ROLE = "face-detector";
    private static final String FACE_DETECTOR = "mtcnn";

    private final ModelStoreConfig config;
    private final Path mtcnnFile;

    private SwitchableFaceDetector faceDetector;
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

    /** Where the model is now (assets directory, then cache), not yet verified; empty when it is in neither. */
    public static Optional<Path> locate(ModelStoreConfig config, ModelManifest manifest) {
        return new AssetResolver(config).locate(manifest.spec());
    }

    /**
     * Downloads a model into the cache, replacing any cached copy only once the new one matches its sha256.
     *
     * @param from the pinned source URL or a mirror serving the same bytes
     */
    public static Path pull(ModelStoreConfig config, ModelManifest manifest, URI from, DownloadProgress progress) {
        return new AssetResolver(config).pull(manifest.spec(), from, progress);
    }

    /**
     * Checks a model where it sits: its sha256 and length, and that TensorFlow loads it and finds every tensor the
     * manifest names. Nothing is downloaded.
     *
     * @throws ModelUnavailableException if it is nowhere locally or does not load as the expected graph
     * @throws ModelIntegrityException   if its content is not the pinned one
     */
    public static Path verify(ModelStoreConfig config, ModelManifest manifest) {
        ModelSpec spec = manifest.spec();
        Path file = locate(config, manifest).orElseThrow(() -> new ModelUnavailableException("model "
                + manifest.label() + " is neither in the assets directory nor in the cache " + config.cacheDir()
                + "; run `sightline models pull " + manifest.name() + "` or set --assets", null));
        AssetResolver.verified(spec, file, "local copy");
        MtcnnFaceDetector.load(file, manifest).close();
        return file;
    }

    public ModelStoreConfig config() {
        return config;
    }

    /** The verified file the face detector loads. */
    public Path faceDetectorFile() {
        return mtcnnFile;
    }

    /**
     * The shared face detector (MTCNN, its default version until {@link #activate} says otherwise), loaded on the
     * first call. The store owns it: callers use it from any thread but never close it; {@link #close()} does.
     */
    public synchronized FaceDetector faceDetector() {
        return switchable();
    }

    /**
     * Switches the face detector to another version of its model ({@code NAME@VERSION} as {@code models list}
     * names it), while detections run: the file is resolved and verified and the new session loaded first, so a
     * refused version leaves the current one running; calls in flight finish on the old session, which is closed
     * after them.
     *
     * @return the model that was replaced
     * @throws IllegalArgumentException if no such model version is known or it is not a face detector
     */
    public synchronized ModelInfo activate(String ref) {
        ModelManifest manifest = faceDetectorVersion(ref);
        if (closed) {
            throw new IllegalStateException("model store is closed");
        }
        if (faceDetector == null) {
            // Nothing loaded yet: load this version only, not the default first.
            Path file = new AssetResolver(config).resolve(manifest.spec());
            faceDetector = new SwitchableFaceDetector(MtcnnFaceDetector.load(file, manifest));
            return ModelCatalog.bundled().get(FACE_DETECTOR).info();
        }
        if (faceDetector.model().equals(manifest.info())) {
            return manifest.info();
        }
        Path file = new AssetResolver(config).resolve(manifest.spec());
        return faceDetector.switchTo(MtcnnFaceDetector.load(file, manifest));
    }

    /**
     * The manifest of a face detector version ({@code NAME@VERSION}, or {@code NAME} for its default version).
     *
     * @throws IllegalArgumentException if no such model version is known or it is not a face detector
     */
    public static ModelManifest faceDetectorVersion(String ref) {
        ModelManifest manifest = ModelCatalog.bundled().get(ref);
        if (!manifest.name().equals(FACE_DETECTOR)) {
            throw new IllegalArgumentException(manifest.label() + " is not a version of the face detector "
                    + FACE_DETECTOR);
        }
        return manifest;
    }

    private SwitchableFaceDetector switchable() {
        if (closed) {
            throw new IllegalStateException("model store is closed");
        }
        if (faceDetector == null) {
            faceDetector = new SwitchableFaceDetector(MtcnnFaceDetector.load(mtcnnFile,
                    ModelCatalog.bundled().get(FACE_DETECTOR)));
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
