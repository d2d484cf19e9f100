package io.sightline.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Blocks a long-running command until Ctrl-C (SIGINT/SIGTERM), then holds JVM exit until the command has closed its
 * resources, so the broker and processor shut down cleanly instead of being cut off.
 */
final class Shutdown {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean exitZero;

    Shutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            requested.countDown();
            try {
                if (finished.await(60, TimeUnit.SECONDS) && exitZero) {
                    Runtime.getRuntime().halt(0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sightline-shutdown"));
    }

    /** Ends {@link #awaitRequest()} from within the process, e.g. when the processor stopped on its own. */
    void request() {
        requested.countDown();
    }

    void awaitRequest() throws InterruptedException {
        requested.await();
    }

    /** Runs {@code stop} on a daemon thread once a stop is requested: it ends a source blocked in its own loop. */
    void onRequest(Runnable stop) {
        Thread stopOnRequest = new Thread(() -> {
            try {
                awaitRequest();
                stop.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ingest-stop");
        stopOnRequest.setDaemon(true);
        stopOnRequest.start();
    }

    /**
     * A stop by Ctrl-C or SIGTERM is then a normal end: once {@link #finished()} the JVM exits with 0 instead of the
     * signal's 130/143, for commands whose stop is the expected way to end (a live source).
     */
    void exitZeroWhenStopped() {
        exitZero = true;
    }

    /** Call once everything is closed. */
    void finished() {
        finished.countDown();
    }
}
