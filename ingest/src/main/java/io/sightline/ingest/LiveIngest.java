package io.sightline.ingest;

import io.sightline.metrics.IngestMeters;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.avro.Frame;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one live camera: the source reads on its own thread into a {@link LiveFeed}, and the calling thread hands the
 * newest frame to the sink whenever the sink is ready for one. A sink slower than the camera therefore costs skipped
 * frames, never a growing queue: at most one frame waits per camera.
 */
public final class LiveIngest {

    private static final Logger log = LoggerFactory.getLogger(LiveIngest.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(1);

    private final LiveSource source;
    private final LiveFeed feed;
    private final FrameSink sink;
    private final long maxFrames;
    private final Optional<Duration> duration;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Map<DeadLetterReason, Long> rejected = new EnumMap<>(DeadLetterReason.class);
    private volatile long published;
    private volatile long unsent;

    /**
     * @param maxFrames stop after publishing this many frames; 0 for no limit
     * @param duration  stop after this long, if given
     */
    public LiveIngest(LiveSource source, LiveFeed feed, FrameSink sink, long maxFrames, Optional<Duration> duration) {
        if (maxFrames < 0) {
            throw new IllegalArgumentException("maxFrames must be 0 (no limit) or more, got " + maxFrames);
        }
        this.source = source;
        this.feed = feed;
        this.sink = sink;
        this.maxFrames = maxFrames;
        this.duration = duration;
    }

    /** Publishes until {@link #stop()}, the frame limit or the duration; then stops the source and returns. */
    public LiveReport run() throws InterruptedException {
        Thread reader = new Thread(() -> source.run(feed, countingRejections()), "camera-reader");
        reader.setDaemon(true);
        reader.start();
        long startedNanos = System.nanoTime();
        try {
            while (stopRequested.getCount() > 0 && (maxFrames == 0 || published < maxFrames)
                    && (duration.isEmpty() || System.nanoTime() - startedNanos < duration.get().toNanos())) {
                Optional<Frame> frame = feed.take(POLL);
                if (frame.isPresent()) {
                    send(frame.get());
                }
            }
        } finally {
            source.close();
            feed.close();
            reader.join(Duration.ofSeconds(10).toMillis());
        }
        return report();
    }

    /**
     * An unreachable registry or cluster is waited out, not fatal: the frame is counted as unsent, and after a pause
     * the newest frame by then is tried, so a camera keeps running through an outage and resumes when it ends.
     */
    private void send(Frame frame) throws InterruptedException {
        try {
            sink.frame(frame);
            published++;
        } catch (KafkaException e) {
            long failures = ++unsent;
            if (failures == 1 || failures % 60 == 0) {
                log.warn("camera {}: {} frame(s) not sent so far, trying again every {} s: {}", frame.getCameraId(),
                        failures, OUTAGE_PAUSE.toSeconds(), e.toString());
            }
            stopRequested.await(OUTAGE_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Ends {@link #run()} from another thread (Ctrl-C); the frame being sent is still sent. */
    public void stop() {
        stopRequested.countDown();
    }

    /** Counts so far; final once {@link #run()} returned. */
    public LiveReport report() {
        LiveFeed.Counts counts = feed.counts();
        Map<DeadLetterReason, Long> byReason;
        synchronized (rejected) {
            byReason = new EnumMap<>(rejected);
        }
        return new LiveReport(published, unsent, counts.skippedStale(), counts.skippedOverFps(), byReason,
                source.reconnects(), source.gap(), source.streaming());
    }

    private FrameSink countingRejections() {
        return new FrameSink() {
            @Override
            public void frame(Frame frame) {
                throw new UnsupportedOperationException("frames go through the feed");
            }

            @Override
            public void rejected(String cameraId, String frameId, String origin, byte[] content,
                    RejectedImageException why) {
                synchronized (rejected) {
                    rejected.merge(why.reason(), 1L, Long::sum);
                }
                sink.rejected(cameraId, frameId, origin, content, why);
            }
        };
    }

    /** This camera's skipped and unsent frames, reconnects and streaming state, read from its report when scraped. */
    public void bindMeters(IngestMeters meters, String camera) {
        meters.skippedStale(camera, this, ingest -> ingest.report().skippedStale());
        meters.skippedOverFps(camera, this, ingest -> ingest.report().skippedOverFps());
        meters.unsent(camera, this, ingest -> ingest.report().unsent());
        meters.reconnects(camera, this, ingest -> ingest.report().reconnects());
        meters.streaming(camera, this, ingest -> ingest.report().streaming() ? 1 : 0);
    }
}
