package io.sightline.stream;

import io.sightline.schemas.WireFormatException;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.Frame;
import io.sightline.udf.UdfInstance;
import io.sightline.udf.UdfResult;
import io.sightline.udf.UdfRuntime;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.CancellationException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Runs each frame through the UDF chain. Every input record leaves as exactly one of: a detection event (plus the
 * annotated frame when the UDF emits one), or a dead letter with a reason. Nothing is thrown for bad input.
 *
 * <p>A processor instance belongs to one stream task, which only one stream thread runs at a time, so the Wasm
 * instance it holds (not thread-safe) is never shared between threads.
 */
final class FrameProcessor implements Processor<byte[], byte[], String, SpecificRecord> {

    private final Deserializer<Frame> frames;
    private final UdfRuntime udfs;
    private final Clock clock;
    private ProcessorContext<String, SpecificRecord> context;
    private UdfInstance udf;

    FrameProcessor(Deserializer<Frame> frames, UdfRuntime udfs, Clock clock) {
        this.frames = frames;
        this.udfs = udfs;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.udf = udfs.newInstance();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Frame frame;
        try {
            frame = frames.deserialize(sourceTopic(), record.value());
        } catch (WireFormatException e) {
            // Only bad bytes land here; a registry outage is not the record's fault and fails the task instead.
            deadLetter(record, null, DeadLetterReason.WIRE_FORMAT.name(), "deserialize",
                    e.reason() + ": " + e.getMessage());
            return;
        }
        UdfResult result;
        try {
            result = udf.process(FrameMapping.toInput(frame));
        } catch (CancellationException e) {
            throw e; // the thread is being stopped: the record is not committed and will be processed again
        } catch (RuntimeException e) {
            // The host promises not to throw for bad input; if it does anyway, the record must still not be lost.
            deadLetter(record, frame, DeadLetterReason.INTERNAL.name(), "udf", describe(e));
            return;
        }
        route(record, frame, result);
    }

    private void route(Record<byte[], byte[]> record, Frame frame, UdfResult result) {
        if (result instanceof UdfResult.Emitted emitted) {
            var event = FrameMapping.detectionEvent(frame, emitted, udfs.info(), udfs.model(), clock.instant());
            context.forward(record.withKey(frame.getCameraId()).withValue(event), SightlineTopology.DETECTIONS_SINK);
            emitted.annotated().ifPresent(image -> context.forward(
                    record.withKey(frame.getCameraId()).withValue(FrameMapping.annotatedFrame(frame, event, image)),
                    SightlineTopology.ANNOTATED_SINK));
        } else if (result instanceof UdfResult.Dropped dropped) {
            deadLetter(record, frame, DeadLetterReason.DROPPED_BY_UDF.name(), "udf", dropped.reason());
        } else if (result instanceof UdfResult.Failed failed) {
            deadLetter(record, frame, failed.code().name(), failed.stage(), failed.message());
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, Frame frame, String reason, String stage, String message) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        DeadLetter letter = DeadLetter.newBuilder()
                .setTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setReasonCode(reason)
                .setMessage(message)
                .setStage(stage)
                .setFailedAt(clock.instant())
                .setCameraId(frame == null ? null : frame.getCameraId())
                .setFrameId(frame == null ? null : frame.getFrameId())
                .build();
        String key = frame == null ? null : frame.getCameraId();
        context.forward(record.withKey(key).withValue((SpecificRecord) letter), SightlineTopology.DEAD_LETTER_SINK);
    }

    private String sourceTopic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("");
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        if (udf != null) {
            udf.close();
        }
    }
}
