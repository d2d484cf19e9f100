package io.sightline.stream;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.DeadLetters;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.WireFormatException;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.UdfRef;
import io.sightline.udf.Timings;
import io.sightline.udf.UdfResult;
import java.nio.ByteBuffer;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Runs each frame through the UDF chain. Every input record leaves as exactly one of: a detection event (plus the
 * annotated frame when the UDF emits one and it fits), or a dead letter with a reason. Nothing is thrown for bad
 * input; anything unexpected reaches the {@link RecordFaultHandler}, which dead-letters the record too.
 *
 * <p>A processor instance belongs to one stream task, which only one stream thread runs at a time, so the Wasm
 * instance it holds (not thread-safe) is never shared between threads. Before each record it checks the
 * {@link ActiveUdf}; a newly deployed UDF takes over from the next record on.
 */
final class FrameProcessor implements Processor<byte[], byte[], String, SpecificRecord> {

    private final Deserializer<Frame> frames;
    private final ActiveUdf udfs;
    private final FrameLimits limits;
    private final Clock clock;
    private final boolean timings;
    private ProcessorContext<String, SpecificRecord> context;
    private ActiveUdf.Lease udf;

    /** @param timings whether events carry the measured timings; a replay writes zeros, so it is repeatable */
    FrameProcessor(Deserializer<Frame> frames, ActiveUdf udfs, FrameLimits limits, Clock clock, boolean timings) {
        this.timings = timings;
        this.frames = frames;
        this.udfs = udfs;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.udf = udfs.acquire();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (udf.runtime() != udfs.current()) {
            switchUdf();
        }
        Frame frame;
        try {
            frame = frames.deserialize(sourceTopic(), record.value());
        } catch (WireFormatException e) {
            // Only bad bytes land here; a registry outage is not the record's fault and fails the task instead.
            deadLetter(record, null, DeadLetterReason.WIRE_FORMAT, "deserialize", e.reason() + ": " + e.getMessage());
            return;
        }
        if (frame.getWidth() < 0 || frame.getHeight() < 0) {
            deadLetter(record, frame, DeadLetterReason.IMAGE_DECODE, "decode", "frame declares a negative size "
                    + frame.getWidth() + "x" + frame.getHeight());
            return;
        }
        // A CancellationException (the thread is being stopped) passes through: the record is not committed and
        // will be processed again. Any other exception is a bug the fault handler dead-letters as INTERNAL.
        route(record, frame, udf.instance().process(FrameMapping.toInput(frame)));
    }

    /** Takes an instance of the newly deployed runtime first, so a failure leaves the old one running. */
    private void switchUdf() {
        ActiveUdf.Lease next = udfs.acquire();
        ActiveUdf.Lease previous = udf;
        udf = next;
        previous.close();
    }

    private void route(Record<byte[], byte[]> record, Frame frame, UdfResult result) {
        if (result instanceof UdfResult.Emitted measured) {
            var emitted = timings ? measured : withoutTimings(measured);
            // The host fitted the annotated image to the payload limit; the event says if it was reduced or omitted.
            var event = FrameMapping.detectionEvent(frame, emitted, udf.runtime().info(), udf.runtime().model(),
                    clock.instant());
            context.forward(record.withKey(frame.getCameraId()).withValue(event), SightlineTopology.DETECTIONS_SINK);
            emitted.annotated().ifPresent(image -> context.forward(
                    record.withKey(frame.getCameraId()).withValue(FrameMapping.annotatedFrame(frame, event, image)),
                    SightlineTopology.ANNOTATED_SINK));
        } else if (result instanceof UdfResult.Dropped dropped) {
            deadLetter(record, frame, DeadLetterReason.DROPPED_BY_UDF, "udf", dropped.reason(), udfRef());
        } else if (result instanceof UdfResult.Failed failed) {
            deadLetter(record, frame, FailureReasons.of(failed.code()), failed.stage(), failed.message(), udfRef());
        }
    }

    private static UdfResult.Emitted withoutTimings(UdfResult.Emitted emitted) {
        return new UdfResult.Emitted(emitted.faces(), emitted.imageWidth(), emitted.imageHeight(), emitted.annotated(),
                emitted.annotatedFit(), new Timings(0, 0, 0, 0), emitted.outputs());
    }

    private void deadLetter(Record<byte[], byte[]> record, Frame frame, DeadLetterReason reason, String stage,
            String message) {
        deadLetter(record, frame, reason, stage, message, null);
    }

    private void deadLetter(Record<byte[], byte[]> record, Frame frame, DeadLetterReason reason, String stage,
            String message, UdfRef udf) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        DeadLetter.Builder builder = DeadLetter.newBuilder()
                .setTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setReasonCode(reason.name())
                .setStage(stage)
                .setFailedAt(clock.instant())
                .setCameraId(frame == null ? null : frame.getCameraId())
                .setFrameId(frame == null ? null : frame.getFrameId())
                .setUdf(udf);
        DeadLetter letter = DeadLetters.describe(builder, record.value(), message, limits).build();
        String key = frame == null ? null : frame.getCameraId();
        context.forward(record.withKey(key).withValue((SpecificRecord) letter), SightlineTopology.DEAD_LETTER_SINK);
    }

    private UdfRef udfRef() {
        return FrameMapping.udfRef(udf.runtime().info());
    }

    private String sourceTopic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("");
    }

    @Override
    public void close() {
        if (udf != null) {
            udf.close();
        }
    }
}
