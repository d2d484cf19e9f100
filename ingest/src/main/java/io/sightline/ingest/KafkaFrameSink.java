package io.sightline.ingest;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.DeadLetters;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Sends frames to the frames topic keyed by camera (so one camera's frames stay in order) with the capture time as
 * record time, and rejected files to the dead-letter topic. A dead letter always fits: original bytes too large for
 * a record are replaced by their size and SHA-256. A frame the broker refuses as too large (its topic's limit is
 * lower than the one ingest was given) becomes a TOO_LARGE dead letter too, so one file never stops a run.
 */
public final class KafkaFrameSink implements FrameSink {

    private final Producer<String, Frame> frames;
    private final Producer<String, DeadLetter> deadLetters;
    private final String framesTopic;
    private final String deadLetterTopic;
    private final FrameLimits limits;
    private final Clock clock;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final AtomicInteger refusedByBroker = new AtomicInteger();

    public KafkaFrameSink(Producer<String, Frame> frames, Producer<String, DeadLetter> deadLetters,
            String framesTopic, String deadLetterTopic, FrameLimits limits, Clock clock) {
        this.frames = frames;
        this.deadLetters = deadLetters;
        this.framesTopic = framesTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public void frame(Frame frame) {
        frames.send(new ProducerRecord<>(framesTopic, null, frame.getCapturedAt().toEpochMilli(),
                frame.getCameraId(), frame), (metadata, exception) -> {
                    if (exception instanceof RecordTooLargeException) {
                        refusedByBroker.incrementAndGet();
                        sendDeadLetter(frame.getCameraId(), frame.getFrameId(), payload(frame),
                                DeadLetterReason.TOO_LARGE, frame.getFrameId() + ": refused by the broker: "
                                        + exception.getMessage());
                    } else if (exception != null) {
                        firstFailure.compareAndSet(null, exception);
                    }
                });
    }

    @Override
    public void rejected(SourceFile file, byte[] content, RejectedImageException why) {
        sendDeadLetter(file.cameraId(), file.frameId(), content, why.reason(),
                file.path().getFileName() + ": " + why.getMessage());
    }

    /** Frames sent but refused by the broker as too large, and dead-lettered instead. Final after {@link #flush}. */
    public int refusedByBroker() {
        return refusedByBroker.get();
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

    private void sendDeadLetter(String cameraId, String frameId, byte[] content, DeadLetterReason reason,
            String message) {
        DeadLetter.Builder letter = DeadLetter.newBuilder()
                .setTopic(framesTopic)
                .setPartition(-1)
                .setOffset(-1)
                .setKey(ByteBuffer.wrap(cameraId.getBytes(StandardCharsets.UTF_8)))
                .setReasonCode(reason.name())
                .setStage("ingest")
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
