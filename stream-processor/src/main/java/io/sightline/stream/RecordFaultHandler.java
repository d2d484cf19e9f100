package io.sightline.stream;

import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.DeadLetterStage;
import io.sightline.schemas.DeadLetters;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SchemaRegistryException;
import io.sightline.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' exception handlers (KIP-1033 processing, production, deserialization), all doing one thing: a
 * record's fault becomes a dead letter (our Avro {@link DeadLetter}, written through Kafka Streams' dead-letter
 * support of KIP-1034) and the stream resumes, so no record can stop a stream thread. Faults that are not the
 * record's (the schema registry unreachable, the thread being stopped, the broker unavailable) still fail the task:
 * dead-lettering good data would lose it.
 *
 * <p>Kafka Streams' own {@code errors.dead.letter.queue.topic.name} would write the raw record with headers; we keep
 * one dead-letter format for every stage instead, so consumers of the dead-letter topic decode one schema.
 */
public final class RecordFaultHandler
        implements ProcessingExceptionHandler, ProductionExceptionHandler, DeserializationExceptionHandler {

    static final String DEAD_LETTERS = "sightline.dead-letter.handler";

    private static final String PRODUCER_IO_THREAD = "kafka-producer-network-thread";
    private static final Logger log = LoggerFactory.getLogger(RecordFaultHandler.class);

    private Settings settings;

    /** What the handler needs, passed as one object through the streams properties. */
    public record Settings(String deadLetterTopic, Serializer<DeadLetter> serializer, FrameLimits limits,
            Clock clock) {

        public Settings {
            Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
            Objects.requireNonNull(serializer, "serializer");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(clock, "clock");
        }
    }

    /** Installs the handler for all three kinds of fault into Kafka Streams properties. */
    public static void install(Properties props, Settings settings) {
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RecordFaultHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, RecordFaultHandler.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RecordFaultHandler.class);
        props.put(DEAD_LETTERS, settings);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(DEAD_LETTERS);
        if (!(value instanceof Settings given)) {
            throw new IllegalStateException(DEAD_LETTERS + " is not set: install the handler with "
                    + "RecordFaultHandler.install");
        }
        this.settings = given;
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
            Exception exception) {
        if (!isRecordFault(exception)) {
            return ProcessingExceptionHandler.Response.fail();
        }
        log.warn("unexpected failure processing {}-{}@{}, dead-lettered as INTERNAL", context.topic(),
                context.partition(), context.offset(), exception);
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(context, DeadLetterReason.INTERNAL,
                DeadLetterStage.PROCESS, describe(exception), true)));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
            ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            // Timeouts, authorization, an unavailable broker: not this record's fault.
            return ProductionExceptionHandler.Response.fail();
        }
        boolean wasDeadLetter = settings.deadLetterTopic().equals(record.topic());
        String message = "record of " + sizeOf(record) + " bytes for " + record.topic() + " refused: "
                + exception.getMessage();
        if (Thread.currentThread().getName().startsWith(PRODUCER_IO_THREAD)) {
            // The broker refused it after the producer accepted it (a topic limit lowered while running). Kafka
            // Streams would send our dead letter from the producer's I/O thread, which blocks forever when it has
            // no metadata for the dead-letter topic yet. Skip the record: the frame is still accounted for by its
            // event when the refused record is the annotated image, the only output near the limit.
            log.error("{}-{}@{}: {}; dropped without a dead letter", context.topic(), context.partition(),
                    context.offset(), message);
            return ProductionExceptionHandler.Response.resume();
        }
        log.warn("{}-{}@{}: {}", context.topic(), context.partition(), context.offset(), message);
        // A refused dead letter is sent again without the original bytes, which are all that can make it large.
        return ProductionExceptionHandler.Response.resume(List.of(deadLetter(context, DeadLetterReason.TOO_LARGE,
                DeadLetterStage.PRODUCE, message, !wasDeadLetter)));
    }

    @Override
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        if (!isRecordFault(exception)) {
            return ProductionExceptionHandler.Response.fail();
        }
        return ProductionExceptionHandler.Response.resume(List.of(deadLetter(context,
                DeadLetterReason.SERIALIZATION, DeadLetterStage.SERIALIZE, describe(exception), true)));
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!isRecordFault(exception)) {
            return DeserializationExceptionHandler.Response.fail();
        }
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(context,
                DeadLetterReason.WIRE_FORMAT, DeadLetterStage.DESERIALIZE, describe(exception), true)));
    }

    /** The dead letter for the source record the context describes, serialized for the dead-letter topic. */
    ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, DeadLetterReason reason, DeadLetterStage stage,
            String message, boolean withValue) {
        // A spread frame names the frames topic's offset it came from, not the internal topic's.
        RecordOrigin source = RecordOrigin.of(context.headers(),
                new RecordOrigin(context.topic(), context.partition(), context.offset()));
        DeadLetter.Builder letter = DeadLetter.newBuilder()
                .setTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .setKey(context.sourceRawKey() == null ? null : ByteBuffer.wrap(context.sourceRawKey()))
                .setReasonCode(reason.name())
                .setStage(stage.label())
                .setFailedAt(settings.clock().instant());
        byte[] value = context.sourceRawValue();
        if (withValue) {
            DeadLetters.describe(letter, value, message, settings.limits());
        } else {
            DeadLetters.describeWithoutValue(letter, value, message);
        }
        byte[] bytes = settings.serializer().serialize(settings.deadLetterTopic(), letter.build());
        return new ProducerRecord<>(settings.deadLetterTopic(), null, context.timestamp(), context.sourceRawKey(),
                bytes);
    }

    /** Registry outages and shutdowns are not the record's fault; everything else about a record is. */
    static boolean isRecordFault(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException || t instanceof CancellationException
                    || t instanceof InterruptedException) {
                return false;
            }
        }
        return true;
    }

    private static long sizeOf(ProducerRecord<byte[], byte[]> record) {
        return (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
    }

    private static String describe(Exception e) {
        String what = e.getClass().getSimpleName();
        return e.getMessage() == null ? what : what + ": " + e.getMessage();
    }
}
