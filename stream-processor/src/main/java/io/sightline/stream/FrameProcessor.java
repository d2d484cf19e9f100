package io.sightline.stream;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.DeadLetterStage;
import io.sightline.schemas.DeadLetters;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.WireFormatException;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.UdfRef;
import io.sightline.udf.Timings;
import io.sightline.udf.UdfOutput;
import io.sightline.udf.UdfResult;
import io.sightline.udf.UdfState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs each frame through the UDF chain of its camera's pipeline. Every input record leaves as exactly one of: a
 * detection event, flagged with a {@code clockSkew} when the frame's capture time is far from when it was written
 * ({@link ClockSkewLimits}) (plus the annotated frame when a stage emits one and it fits, plus every named output), or a dead
 * letter with a reason. A frame a filter stage drops is a dead letter too, {@code DROPPED_BY_UDF}, carrying the
 * frame's size and sha256 instead of its bytes. Nothing is thrown for bad input; anything unexpected reaches the
 * {@link RecordFaultHandler}, which dead-letters the record too.
 *
 * <p>A processor instance belongs to one stream task, which only one stream thread runs at a time, so the Wasm
 * instances it holds (not thread-safe) are never shared between threads. It builds each pipeline's chain the first
 * time one of its cameras sends a frame. Run in place ({@link Routes#withState}), each stage reads and writes its state
 * for the frame's camera in the task's changelogged store, so the state moves with the camera's partition when another
 * instance takes it over. Run on spread frames, its event (or, for a dead letter, an empty value) goes to the order
 * stage ({@link EventOrder}) with the frame's number, instead of straight to the detections topic.
 */
final class FrameProcessor implements Processor<byte[], byte[], String, SpecificRecord> {

    private final Deserializer<Frame> frames;
    private final PipelineUdfs udfs;
    private final FrameLimits limits;
    private final ClockSkewLimits skew;
    private final Clock clock;
    private final boolean timings;
    private final Routes routes;
    private final Map<String, PipelineChain> chains = new HashMap<>();
    private final RegistryWait registry = RegistryWait.withSleep();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> state;

    /**
     * The children a frame's outputs go to. {@code order}, when present, takes the event of a spread frame (one
     * numbered in its camera's sequence), or in its place an empty value when the frame became a dead letter.
     * {@code withState}: whether the processor runs on camera-partitioned frames with the UDF state store; without
     * it, it runs spread frames, of pipelines that keep no state.
     */
    record Routes(String detections, String annotated, String outputs, String deadLetters, String order,
            boolean withState) {}

    /** @param timings whether events carry the measured timings; a replay writes zeros, so it is repeatable */
    FrameProcessor(Deserializer<Frame> frames, PipelineUdfs udfs, FrameLimits limits, ClockSkewLimits skew,
            Clock clock, boolean timings, Routes routes) {
        this.timings = timings;
        this.routes = routes;
        this.frames = frames;
        this.udfs = udfs;
        this.limits = limits;
        this.skew = skew;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.state = routes.withState() ? context.getStateStore(StoreUdfState.STORE) : null;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            handle(record);
        } catch (RuntimeException e) {
            if (RecordFaultHandler.isRecordFault(e)) {
                // The fault handler dead-letters the record; its camera's later events need not wait for it.
                orderWithout(record);
            }
            throw e;
        }
    }

    private void handle(Record<byte[], byte[]> record) {
        Frame frame;
        try {
            String topic = RecordOrigin.of(record.headers(), context.recordMetadata().orElseThrow()).topic();
            frame = registry.call(() -> frames.deserialize(topic, record.value()));
        } catch (WireFormatException e) {
            // Only bad bytes land here; a registry outage is not the record's fault: it is waited out for a few
            // seconds, and past that fails the task.
            deadLetter(record, null, DeadLetterReason.WIRE_FORMAT, DeadLetterStage.DESERIALIZE, e.reason() + ": " + e.getMessage(),
                    null);
            return;
        }
        if (frame.getWidth() < 0 || frame.getHeight() < 0) {
            deadLetter(record, frame, DeadLetterReason.IMAGE_DECODE, DeadLetterStage.DECODE, "frame declares a negative size "
                    + frame.getWidth() + "x" + frame.getHeight(), null);
            return;
        }
        Pipeline pipeline = udfs.pipelines().forCamera(frame.getCameraId());
        PipelineChain chain = chains.computeIfAbsent(pipeline.name(), name -> udfs.chain(pipeline));
        // A CancellationException (the thread is being stopped) passes through: the record is not committed and
        // will be processed again. Any other exception is a bug the fault handler dead-letters as INTERNAL.
        // A spread frame's pipeline keeps no state; should a stage have been redeployed as one that does since the
        // frame was spread, it runs on empty state for the frames already on their way.
        PipelineChain.Outcome outcome = chain.process(FrameMapping.toInput(frame), stage -> state == null
                ? UdfState.inMemory() : new StoreUdfState(state, pipeline.name(), stage.udf(), frame.getCameraId()));
        route(record, frame, pipeline, outcome);
    }

    private void route(Record<byte[], byte[]> record, Frame frame, Pipeline pipeline, PipelineChain.Outcome outcome) {
        if (outcome instanceof PipelineChain.Ended ended) {
            deadLetter(record, frame, ended.reason(), DeadLetterStage.of(ended.stage()), ended.message(), FrameMapping.udfRef(ended.udf()));
            return;
        }
        var completed = (PipelineChain.Completed) outcome;
        var emitted = timings ? completed.result() : withoutTimings(completed.result());
        for (UdfOutput output : emitted.outputs()) {
            if (!limits.fitsPayload(output.payload().length)) {
                deadLetter(record, frame, DeadLetterReason.TOO_LARGE, DeadLetterStage.PRODUCE, output.udf().label() + " emitted "
                        + output.payload().length + " bytes to output " + output.output() + ", more than the "
                        + limits.maxPayloadBytes() + " a record may carry", FrameMapping.udfRef(output.udf()));
                return;
            }
        }
        // The host fitted the annotated image to the payload limit; the event says if it was reduced or omitted.
        DetectionEvent event = FrameMapping.detectionEvent(frame, emitted, completed.udf(), completed.model(),
                clock.instant(), pipeline.name());
        event.setStages(completed.stages().stream().map(FrameMapping::udfRef).toList());
        // The frame record's timestamp is when it was written (WriteTime), so a replay flags the same frames.
        skew.skewSeconds(frame.getCapturedAt(), record.timestamp()).ifPresent(event::setClockSkew);
        String camera = frame.getCameraId();
        // A spread frame's outputs keep its origin headers: they name its place in the frames topic, and the fault
        // handler dead-letters an output the broker refuses under that name.
        var outputs = record.withKey(camera);
        if (spread(record)) {
            // Numbered: the order stage puts it back among its camera's events.
            context.forward(record.withKey(camera).withValue((SpecificRecord) event), routes.order());
        } else {
            context.forward(outputs.withValue(event), routes.detections());
        }
        emitted.annotated().ifPresent(image -> context.forward(
                outputs.withValue(FrameMapping.annotatedFrame(frame, event, image)), routes.annotated()));
        for (UdfOutput output : emitted.outputs()) {
            context.forward(outputs.withValue(FrameMapping.outputRecord(frame, event, output)), routes.outputs());
        }
    }

    private static UdfResult.Emitted withoutTimings(UdfResult.Emitted emitted) {
        return new UdfResult.Emitted(emitted.faces(), emitted.imageWidth(), emitted.imageHeight(), emitted.annotated(),
                emitted.annotatedFit(), Timings.NONE, emitted.outputs(), emitted.model());
    }

    private void deadLetter(Record<byte[], byte[]> record, Frame frame, DeadLetterReason reason, DeadLetterStage stage,
            String message, UdfRef udf) {
        RecordOrigin source = RecordOrigin.of(record.headers(), context.recordMetadata().orElseThrow());
        DeadLetter.Builder builder = DeadLetter.newBuilder()
                .setTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setReasonCode(reason.name())
                .setStage(stage.label())
                .setFailedAt(clock.instant())
                .setCameraId(frame == null ? null : frame.getCameraId())
                .setFrameId(frame == null ? null : frame.getFrameId())
                .setUdf(udf);
        // A deliberate drop needs no replay: its size and sha256 account for it without copying every dropped frame.
        DeadLetter letter = reason == DeadLetterReason.DROPPED_BY_UDF
                ? DeadLetters.describeWithoutValue(builder, record.value(), message).build()
                : DeadLetters.describe(builder, record.value(), message, limits).build();
        String key = frame == null ? null : frame.getCameraId();
        context.forward(record.withKey(key).withValue((SpecificRecord) letter), routes.deadLetters());
        orderWithout(record);
    }

    /** Nothing will come of a spread frame: its camera's later events need not wait for it. */
    private void orderWithout(Record<byte[], byte[]> record) {
        if (spread(record)) {
            String camera = new String(record.key(), StandardCharsets.UTF_8);
            context.forward(record.withKey(camera).withValue((SpecificRecord) null), routes.order());
        }
    }

    /** Whether the record is a spread frame, numbered in its camera's sequence, whose event must be put in order. */
    private boolean spread(Record<byte[], byte[]> record) {
        return routes.order() != null && record.key() != null && RecordOrigin.sequence(record.headers()).isPresent();
    }

    @Override
    public void close() {
        chains.values().forEach(PipelineChain::close);
        chains.clear();
    }
}
