package io.sightline.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.ModelRef;
import io.sightline.schemas.avro.Timings;
import io.sightline.schemas.avro.UdfRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Putting a camera's events back in the order of its frames, waiting for the missing, going on after a timeout. */
class EventOrderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Avro's single-object encoding: the processor only needs bytes that come back as the same event. */
    private static final Serde<DetectionEvent> EVENTS = Serdes.serdeFrom(
            (topic, event) -> {
                try {
                    return event.toByteBuffer().array();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            },
            (topic, bytes) -> {
                try {
                    return DetectionEvent.fromByteBuffer(ByteBuffer.wrap(bytes));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

    private KeyValueStore<String, byte[]> store;
    private MockProcessorContext<String, DetectionEvent> context;
    private EventOrder order;

    @BeforeEach
    void start() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(EventOrder.STORE), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        restart();
    }

    /** A new processor over the same store, as after the partition moved to another instance. */
    private void restart() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(1_000_000);
        if (order == null) {
            store.init(context.getStateStoreContext(), store);
        }
        context.addStateStore(store);
        order = new EventOrder(EVENTS, "test.detections", TIMEOUT);
        order.init(context);
    }

    @Test
    void publishesInFrameOrderWhateverOrderTheEventsCameIn() {
        send("a", 0, "f0");
        send("a", 2, "f2");
        send("b", 0, "g0");
        send("a", 3, "f3");
        assertThat(published()).containsExactly("a/f0", "b/g0");

        send("a", 1, "f1");

        assertThat(published()).containsExactly("a/f0", "b/g0", "a/f1", "a/f2", "a/f3");
        assertThat(store.approximateNumEntries()).as("only each camera's next number is left").isEqualTo(2);
    }

    @Test
    void aDeadLetteredFrameHoldsNothingUp() {
        send("a", 1, "f1");
        sendNothing("a", 0);

        assertThat(published()).containsExactly("a/f1");
    }

    @Test
    void afterTheTimeoutGoesOnWithoutTheMissingFrameAndFlagsItLateWhenItComes() {
        send("a", 0, "f0");
        send("a", 2, "f2");
        punctuateAt(1_000_000 + TIMEOUT.toMillis() - 1);
        assertThat(published()).containsExactly("a/f0");

        punctuateAt(1_000_000 + TIMEOUT.toMillis());
        assertThat(published()).containsExactly("a/f0", "a/f2");

        send("a", 1, "f1");
        send("a", 3, "f3");
        assertThat(published()).containsExactly("a/f0", "a/f2", "a/f1", "a/f3");
        assertThat(context.forwarded()).extracting(f -> f.record().value().getLate())
                .containsExactly(null, null, true, null);
    }

    @Test
    void waitingEventsSurviveAMoveToAnotherInstance() {
        send("a", 0, "f0");
        send("a", 2, "f2");
        restart();

        send("a", 1, "f1");

        assertThat(published()).containsExactly("a/f1", "a/f2");
        // Published with the timestamp its record had when it arrived.
        assertThat(context.forwarded().get(1).record().timestamp()).isEqualTo(2);
    }

    @Test
    void anEventOfAFrameRunInPlacePassesStraightThrough() {
        order.process(new Record<>("a", event("a", "x"), 7L));

        assertThat(published()).containsExactly("a/x");
    }

    private void send(String camera, long sequence, String frame) {
        order.process(new Record<>(camera, event(camera, frame), sequence, numbered(sequence)));
    }

    private void sendNothing(String camera, long sequence) {
        order.process(new Record<>(camera, (DetectionEvent) null, sequence, numbered(sequence)));
    }

    private static RecordHeaders numbered(long sequence) {
        return (RecordHeaders) new RecordOrigin("test.frames", 0, sequence).stamp(new RecordHeaders(), sequence);
    }

    private void punctuateAt(long now) {
        context.setCurrentSystemTimeMs(now);
        context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(now));
    }

    private List<String> published() {
        return context.forwarded().stream()
                .map(f -> f.record().key() + "/" + f.record().value().getFrameId())
                .toList();
    }

    private static DetectionEvent event(String camera, String frame) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return DetectionEvent.newBuilder()
                .setEventId(camera + "-" + frame)
                .setCameraId(camera)
                .setFrameId(frame)
                .setCapturedAt(at)
                .setProcessedAt(at)
                .setImageWidth(10)
                .setImageHeight(10)
                .setFaces(List.of())
                .setModel(ModelRef.newBuilder().setName("mtcnn").setVersion("1").setSha256("00".repeat(32)).build())
                .setUdf(UdfRef.newBuilder().setName("face-annotate").setVersion("1").setSha256("ab".repeat(32)).build())
                .setTimings(Timings.newBuilder().setDecodeMs(0).setUdfMs(0).setInferenceMs(0).setTotalMs(0).build())
                .build();
    }
}
