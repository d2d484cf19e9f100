package io.sightline.ingest;

import io.sightline.metrics.IngestMeters;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.DeadLetterStage;
import io.sightline.schemas.DeadLetters;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends frames to the frames topic keyed by camera (so one camera's frames stay in order), stamped with the time
 * they are written, never the capture time a camera claims ({@link io.sightline.schemas.WriteTime}), and rejected inputs to the dead-letter topic. A dead letter always fits: original bytes too large for
 * a record are replaced by their size and SHA-256. A frame the broker refuses as too large (its topic's limit is
 * lower than the one ingest was given) becomes a TOO_LARGE dead letter too, so one input never stops a run.
 */
public final class KafkaFrameSink implements FrameSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaFrameSink.class);

    private final Producer<String, Frame> frames;
    private final Producer<String, DeadLetter> deadLetters;
    private final String framesTopic;
    private final String deadLetterTopic;
    private final FrameLimits limits;
    private final Clock clock;
    private final Semaphore inFlight;
    private final boolean ownsProducers;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final AtomicInteger refusedByBroker = new AtomicInteger();
    private final AtomicLong acknowledged = new AtomicLong();
    private final Map<DeadLetterReason, AtomicInteger> rejectedByReason = new ConcurrentHashMap<>();
    private volatile Observer observer = Observer.NONE;

    /** Told of each frame sent and acknowledged and each dead letter, per camera: for metrics. */
    public interface Observer {
        Observer NONE = new Observer() {
            @Override
            public void sent(String cameraId, int bytes) {}

            @Override
            public void acknowledged(String cameraId, int bytes) {}

            @Override
            public void deadLettered(String cameraId, DeadLetterReason reason) {}
        };

        /** A frame of {@code bytes} payload bytes was handed to the producer. */
        void sent(String cameraId, int bytes);

        /** The cluster acknowledged a frame (called on the producer's thread: keep it quick). */
        void acknowledged(String cameraId, int bytes);

        void deadLettered(String cameraId, DeadLetterReason reason);

        /** Counts what the sink sends as ingest's meters. */
        static Observer metered(IngestMeters meters) {
            return new Observer() {
                @Override
                public void sent(String cameraId, int bytes) {
                    meters.sent(cameraId, bytes);
                }

                @Override
                public void acknowledged(String cameraId, int bytes) {
                    meters.acknowledged(cameraId, bytes);
                }

                @Override
                public void deadLettered(String cameraId, DeadLetterReason reason) {
                    meters.deadLettered(cameraId, reason.name());
                }
            };
        }
    }

    public KafkaFrameSink(Producer<String, Frame> frames, Producer<String, DeadLetter> deadLetters,
            String framesTopic, String deadLetterTopic, FrameLimits limits, Clock clock) {
        this(frames, deadLetters, framesTopic, deadLetterTopic, limits, clock, Integer.MAX_VALUE, false);
    }

    private KafkaFrameSink(Producer<String, Frame> frames, Producer<String, DeadLetter> deadLetters,
            String framesTopic, String deadLetterTopic, FrameLimits limits, Clock clock, int maxInFlight,
            boolean ownsProducers) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        this.frames = frames;
        this.deadLetters = deadLetters;
        this.framesTopic = framesTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.limits = limits;
        this.clock = clock;
        this.inFlight = new Semaphore(maxInFlight);
        this.ownsProducers = ownsProducers;
    }

    /**
     * A sink with its own producers ({@link #producerProperties}), closed with it.
     *
     * @param maxInFlight frames sent but not yet acknowledged before {@link #frame} waits; a live source passes a
     *                    small number so that a slow broker holds back the newest frames only (older ones are
     *                    skipped upstream) instead of filling the producer's buffer with stale ones
     */
    public static KafkaFrameSink open(String bootstrapServers, SightlineSerdes serdes, Topics topics,
            FrameLimits limits, int maxInFlight) {
        Properties p = producerProperties(bootstrapServers, limits);
        var frames = new KafkaProducer<String, Frame>(p, new StringSerializer(), serdes.serializer(Frame.class));
        try {
            var deadLetters = new KafkaProducer<String, DeadLetter>(p, new StringSerializer(),
                    serdes.serializer(DeadLetter.class));
            return new KafkaFrameSink(frames, deadLetters, topics.frames(), topics.deadLetters(), limits,
                    Clock.systemUTC(), maxInFlight, true);
        } catch (RuntimeException e) {
            frames.close();
            throw e;
        }
    }

    /**
     * Producer settings for frames. {@code acks=all}: a frame acknowledged is on every in-sync replica.
     * {@code max.request.size} is the record limit read from the cluster, so a frame too large is refused here, not
     * by the broker. {@code buffer.memory} is what the producer may hold unsent: two records at the limit, at least
     * 32 MiB (Kafka's default), so a frame at the limit always fits and the producer's memory stays bounded.
     * {@code linger.ms=0}: frames are large, so waiting to batch more of them gains nothing and adds latency; frames
     * sent while a request is in flight are batched anyway.
     */
    public static Properties producerProperties(String bootstrapServers, FrameLimits limits) {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, limits.maxRecordBytes());
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L * 1024 * 1024, 2L * limits.maxRecordBytes()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return p;
    }

    /** Reports what this sink sends to {@code observer} from now on. */
    public KafkaFrameSink observedBy(Observer observer) {
        this.observer = observer;
        return this;
    }

    /** Waits while {@code maxInFlight} frames are unacknowledged. */
    @Override
    public void frame(Frame frame) {
        inFlight.acquireUninterruptibly();
        int bytes = frame.getPayload().remaining();
        try {
            observer.sent(frame.getCameraId(), bytes);
            // No timestamp: the producer stamps the time of sending (WriteTime); the capture time is in the frame.
            frames.send(new ProducerRecord<>(framesTopic, frame.getCameraId(), frame), (metadata, exception) -> {
                        inFlight.release();
                        if (exception == null) {
                            acknowledged.incrementAndGet();
                            observer.acknowledged(frame.getCameraId(), bytes);
                        } else if (exception instanceof RecordTooLargeException) {
                            refusedByBroker.incrementAndGet();
                            deadLetter(frame.getCameraId(), frame.getFrameId(), payload(frame),
                                    DeadLetterReason.TOO_LARGE, frame.getFrameId() + ": refused by the broker: "
                                            + exception.getMessage());
                        } else {
                            firstFailure.compareAndSet(null, exception);
                        }
                    });
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    @Override
    public void rejected(String cameraId, String frameId, String origin, byte[] content, RejectedImageException why) {
        deadLetter(cameraId, frameId, content, why.reason(), origin + ": " + why.getMessage());
    }

    /** Frames sent but refused by the broker as too large, and dead-lettered instead. Final after {@link #flush}. */
    public int refusedByBroker() {
        return refusedByBroker.get();
    }

    /** Frames the broker has acknowledged so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Dead letters sent so far, by reason, refused frames included. */
    public Map<DeadLetterReason, Integer> rejectedByReason() {
        Map<DeadLetterReason, Integer> counts = new EnumMap<>(DeadLetterReason.class);
        rejectedByReason.forEach((reason, count) -> counts.put(reason, count.get()));
        return counts;
    }

    /** Waits until everything sent is acknowledged; throws if any send failed, so nothing is lost silently. */
    public void flush() {
        frames.flush(); // before the dead letters: a refused frame adds one
        deadLetters.flush();
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new KafkaException("publishing frames failed: " + failure.getMessage(), failure);
        }
    }

    /** Closes the producers if this sink opened them; call {@link #flush} first to learn of failures. */
    @Override
    public void close() {
        if (ownsProducers) {
            try {
                frames.close();
            } finally {
                deadLetters.close();
            }
        }
    }

    /** Each rejected input is one warning line: the user sees which input went to the dead-letter topic, and why. */
    private void deadLetter(String cameraId, String frameId, byte[] content, DeadLetterReason reason,
            String message) {
        rejectedByReason.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
        observer.deadLettered(cameraId, reason);
        log.warn("camera {}: {} to {} ({})", cameraId, message, deadLetterTopic, reason);
        DeadLetter.Builder letter = DeadLetter.newBuilder()
                .setTopic(framesTopic)
                .setPartition(-1)
                .setOffset(-1)
                .setKey(ByteBuffer.wrap(cameraId.getBytes(StandardCharsets.UTF_8)))
                .setReasonCode(reason.name())
                .setStage(DeadLetterStage.INGEST.label())
                .setFailedAt(clock.instant())
                .setCameraId(cameraId)
                .setFrameId(frameId);
        DeadLetters.describe(letter, content, message, limits);
        deadLetters.send(new ProducerRecord<>(deadLetterTopic, cameraId, letter.build()), remember());
    }

    private Callback remember() {
        return (metadata, exception) -> {
            if (exception != null) {
                firstFailure.compareAndSet(null, exception);
            }
        };
    }

    private static byte[] payload(Frame frame) {
        ByteBuffer payload = frame.getPayload().duplicate();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return bytes;
    }
}
