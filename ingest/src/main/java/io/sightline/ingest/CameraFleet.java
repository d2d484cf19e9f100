package io.sightline.ingest;

import io.sightline.schemas.FrameLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many cameras in one process, one thread each, publishing into one sink. A camera that fails (its folder vanishes,
 * its video is corrupt) ends alone with its reason in the summary; an unreachable live camera keeps retrying with
 * backoff; neither stops the others. Live cameras run until {@link #stop()} or the duration; folders and videos end
 * by themselves.
 */
public final class CameraFleet {

    private static final Logger log = LoggerFactory.getLogger(CameraFleet.class);

    private final List<Camera> cameras = new ArrayList<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /** One camera's thread and what it reports. */
    private static final class Camera {
        final CameraSpec spec;
        volatile Supplier<CameraResult> progress;
        final AtomicReference<CameraResult> result = new AtomicReference<>();
        LiveIngest live;
        Thread thread;

        Camera(CameraSpec spec) {
            this.spec = spec;
            this.progress = () -> new CameraResult(spec, 0, 0, 0, 0, spec.enabled() ? "starting" : "disabled",
                    Optional.empty());
        }

        CameraResult now() {
            CameraResult done = result.get();
            return done != null ? done : progress.get();
        }
    }

    public CameraFleet(List<CameraSpec> specs) {
        specs.forEach(spec -> cameras.add(new Camera(spec)));
    }

    /**
     * Runs every enabled camera until the folders and videos are done and the live cameras are stopped.
     *
     * @param duration stop the live cameras after this long, if given
     */
    public List<CameraResult> run(FrameSink sink, FrameLimits limits, Optional<Duration> duration)
            throws InterruptedException {
        for (Camera camera : cameras) {
            if (camera.spec.enabled()) {
                camera.thread = new Thread(() -> runCamera(camera, sink, limits, duration), "camera-"
                        + camera.spec.id());
                camera.thread.start();
            } else {
                camera.result.set(camera.progress.get());
            }
        }
        for (Camera camera : cameras) {
            if (camera.thread != null) {
                camera.thread.join();
            }
        }
        return results();
    }

    /** Stops the live cameras (Ctrl-C); folders and videos being published finish. */
    public void stop() {
        stopRequested.countDown();
        synchronized (cameras) {
            cameras.forEach(c -> {
                if (c.live != null) {
                    c.live.stop();
                }
            });
        }
    }

    /** Each camera's counts so far; final once {@link #run} returned. */
    public List<CameraResult> results() {
        return cameras.stream().map(Camera::now).toList();
    }

    private void runCamera(Camera camera, FrameSink sink, FrameLimits limits, Optional<Duration> duration) {
        CameraSpec spec = camera.spec;
        try {
            switch (spec.kind()) {
                case DIR -> runDirectory(camera, sink, limits);
                case VIDEO -> runVideo(camera, sink, limits);
                case MJPEG -> runLive(camera, new MjpegSource(MjpegSourceConfig.of(spec.url(), spec.id(), limits),
                        Clock.systemUTC()), sink, duration);
                case RTSP -> runLive(camera, new RtspSource(RtspSourceConfig.of(spec.url(), spec.id(),
                        RtspSourceConfig.Transport.TCP, limits), Clock.systemUTC()), sink, duration);
            }
        } catch (Exception e) { // one camera's failure, whatever it is, must not end the others
            log.warn("camera {}: stopped: {}", spec.id(), e.toString());
            CameraResult last = camera.progress.get();
            camera.result.set(new CameraResult(spec, last.published(), last.skipped(), last.rejected(),
                    last.reconnects(), "failed", Optional.of(e.getMessage() == null ? e.toString() : e.getMessage())));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runDirectory(Camera camera, FrameSink sink, FrameLimits limits) throws Exception {
        CameraSpec spec = camera.spec;
        var source = new DirectorySource(new DirectorySourceConfig(spec.path(), Optional.of(spec.id()), limits));
        var paced = new PacedSink(sink, spec.fps());
        camera.progress = () -> new CameraResult(spec, paced.frames(), 0, 0, 0, "running", Optional.empty());
        IngestReport report = source.publish(paced);
        camera.result.set(new CameraResult(spec, report.published(), report.skipped(), report.rejected(), 0, "done",
                Optional.empty()));
    }

    private void runVideo(Camera camera, FrameSink sink, FrameLimits limits) throws Exception {
        CameraSpec spec = camera.spec;
        var source = new VideoSource(new VideoSourceConfig(spec.path(), spec.id(), Optional.empty(), spec.fps(),
                limits));
        camera.progress = () -> new CameraResult(spec, source.published(), 0, 0, 0, "running", Optional.empty());
        VideoReport report = source.publish(sink);
        camera.result.set(new CameraResult(spec, report.published(), report.skipped(), report.rejected(), 0,
                report.failure().isPresent() ? "failed" : "done", report.failure()));
    }

    private void runLive(Camera camera, LiveSource source, FrameSink sink, Optional<Duration> duration)
            throws InterruptedException {
        CameraSpec spec = camera.spec;
        var live = new LiveIngest(source, new LiveFeed(spec.fps()), sink, 0, duration);
        synchronized (cameras) {
            camera.live = live;
            if (stopRequested.getCount() == 0) {
                live.stop();
            }
        }
        camera.progress = () -> live(spec, live.report(), null);
        LiveReport report = live.run();
        camera.result.set(live(spec, report, report.published() > 0 ? "done" : "no frames"));
    }

    private static CameraResult live(CameraSpec spec, LiveReport r, String state) {
        return new CameraResult(spec, r.published(), r.skipped(), r.rejectedTotal(), r.reconnects(),
                state != null ? state : r.streaming() ? "streaming" : "reconnecting", Optional.empty());
    }
}
