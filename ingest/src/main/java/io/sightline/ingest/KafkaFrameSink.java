package io.sightline.ingest;

import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends frames to the frames topic keyed by camera (so one camera's frames stay in order) with the capture time as
 * record time, and rejected files to the dead-letter topic with their original bytes.
 */
public final class KafkaFrameSink implements FrameSink {

    private final Producer<String, Frame> frames;
    private final Producer<String, DeadLetter> deadLetters;
    private final String framesTopic;
    private final String deadLetterTopic;
    private final Clock clock;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    public KafkaFrameSink(Producer<String, Frame> frames, Producer<String, DeadLetter> deadLetters,
            String framesTopic, String deadLetterTopic, Clock clock) {
        this.frames = frames;
        this.deadLetters = deadLetters;
        this.framesTopic = framesTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.clock = clock;
    }

    @Override
    public void frame(Frame frame) {
        frames.send(new ProducerRecord<>(framesTopic, null, frame.getCapturedAt().toEpochMilli(),
                frame.getCameraId(), frame), remember());
    }

    @Override
    public void rejected(SourceFile file, byte[] content, RejectedImageException why) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setTopic(framesTopic)
                .setPartition(-1)
                .setOffset(-1)
                .setKey(ByteBuffer.wrap(file.cameraId().getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(content))
                .setReasonCode(why.reason().name())
                .setMessage(file.path().getFileName() + ": " + why.getMessage())
                .setStage("ingest")
                .setFailedAt(clock.instant())
                .setCameraId(file.cameraId())
                .setFrameId(file.frameId())
                .build();
        deadLetters.send(new ProducerRecord<>(deadLetterTopic, file.cameraId(), letter), remember());
    }

    /** Waits until everything sent is acknowledged; throws if any send failed, so nothing is lost silently. */
    public void flush() {
        frames.flush();
        deadLetters.flush();
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new KafkaException("publishing frames failed: " + failure.getMessage(), failure);
        }
    }

    private Callback remember() {
        return (metadata, exception) -> {
            if (exception != null) {
                firstFailure.compareAndSet(null, exception);
            }
        };
    }
}
