package io.sightline.model;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A face detector whose model can be replaced while detections run on other threads. A switch waits for the calls
 * in flight on the old model to finish, then publishes the new one and closes the old one, so no call ever runs on a
 * closed session and every result names the model that produced it. Owns the detectors handed to it.
 */
public final class SwitchableFaceDetector implements FaceDetector {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private FaceDetector current;
    private boolean closed;

    public SwitchableFaceDetector(FaceDetector initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    @Override
    public List<Face> detect(BufferedImage image, DetectionOptions options) {
        return detectWithModel(image, options).faces();
    }

    @Override
    public Detections detectWithModel(BufferedImage image, DetectionOptions options) {
        lock.readLock().lock();
        try {
            requireOpen();
            return current.detectWithModel(image, options);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public ModelInfo model() {
        lock.readLock().lock();
        try {
            return current.model();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Makes {@code next} the model of every call that starts from now on, once the calls running on the old one have
     * finished; then closes the old one. Returns the model that was replaced.
     */
    public ModelInfo switchTo(FaceDetector next) {
        Objects.requireNonNull(next, "next");
        FaceDetector previous;
        lock.writeLock().lock();
        try {
            if (closed) {
                next.close();
                throw new IllegalStateException("face detector is closed");
            }
            previous = current;
            current = next;
        } finally {
            lock.writeLock().unlock();
        }
        ModelInfo replaced = previous.model();
        if (previous != next) {
            previous.close();
        }
        return replaced;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                current.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("face detector is closed");
        }
    }
}
