package io.sightline.stream;

import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.tracking.TrackerSettings;
import io.sightline.udf.UdfRuntime;
import java.time.Clock;
import io.sightline.schemas.avro.DetectionEvent;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the processing topology: frames → each camera's pipeline (a UDF chain) → detections, annotated frames,
 * named outputs ({@code <prefix>.<output>}), dead letters; UDF state in a changelogged store. A pure function of its
 * arguments, so tests drive the same topology the product runs.
 *
 * <p>Frames arrive partitioned by camera. With {@link FrameSpread} on (the default), the {@link FrameRouter} keeps a
 * frame whose pipeline keeps state on its camera's partition ({@value #UDF_CHAIN}, in order, with the state store),
 * and numbers and spreads every other frame round-robin over an internal topic ({@value #SPREAD}), so the pixel work
 * ({@value #PIXEL_CHAIN}: decode, stages, detection, drawing, encoding) of one camera runs on every stream thread of
 * every instance. The events of spread frames go back to their camera's partition over a second internal topic
 * ({@value #ORDER}), where {@link EventOrder} publishes them in their frames' order. Annotated images, named outputs
 * and dead letters are published as soon as they are made.
 */
public final class SightlineTopology {

    public static final String SOURCE = "frames";
    public static final String UDF_CHAIN = "udf-chain";
    public static final String DETECTIONS_SINK = "detections";
    public static final String ANNOTATED_SINK = "annotated";
    public static final String OUTPUTS_SINK = "outputs";
    public static final String DEAD_LETTER_SINK = "dead-letters";
    public static final String REPLAY_RANGE = "replay-range";
    public static final String ROUTER = "route";
    /** Internal topic {@code <application id>-frames-spread-repartition}: spread frames, round-robin. */
    public static final String SPREAD = "frames-spread";
    public static final String PIXEL_CHAIN = "pixel-chain";
    /** Internal topic {@code <application id>-events-order-repartition}: spread frames' events, by camera. */
    public static final String ORDER = "events-order";
    public static final String ORDER_EVENTS = "order-events";
    /** Gives each face its track id, on the camera's partition, in frame order ({@link FaceTracking}). */
    public static final String TRACK = "track";
    /** Track lifecycle records to {@code <prefix>.tracks}. */
    public static final String TRACKS_SINK = "tracks";
    /** Zone, line and loitering records to {@code <prefix>.alerts}. */
    public static final String ZONE_ALERTS_SINK = "zone-alerts";
    /** The per-camera tracker store; its changelog topic is {@code <application id>-face-tracks-changelog}. */
    public static final String TRACKS_STORE = "face-tracks";
    private static final String SPREAD_PREFIX = "spread-";
    /** The per-camera UDF state store; its changelog topic is {@code <application id>-udf-state-changelog}. */
    public static final String STATE_STORE = StoreUdfState.STORE;

    private SightlineTopology() {}

    /** The topology running one UDF runtime for good: for tests and tools that never switch. */
    public static Topology build(Topics topics, TopologySerdes serdes, UdfRuntime udfs, FrameLimits limits,
            Clock clock) {
        return build(topics, serdes, new ActiveUdf(udfs), limits, clock);
    }

    /** One pipeline of one UDF, switchable while the topology runs (deploy and hot swap). */
    public static Topology build(Topics topics, TopologySerdes serdes, ActiveUdf udfs, FrameLimits limits,
            Clock clock) {
        return build(topics, serdes, PipelineUdfs.single(udfs), limits, clock);
    }

    /** @param udfs the pipelines and their stages' UDFs, each switchable while the topology runs */
    public static Topology build(Topics topics, TopologySerdes serdes, PipelineUdfs udfs, FrameLimits limits,
            Clock clock) {
        return build(topics, serdes, udfs, limits, ClockSkewLimits.defaults(), clock);
    }

    /** @param skew how far a frame's capture time may lie from its write time before its event is flagged */
    public static Topology build(Topics topics, TopologySerdes serdes, PipelineUdfs udfs, FrameLimits limits,
            ClockSkewLimits skew, Clock clock) {
        return build(topics, serdes, udfs, limits, skew, FrameSpread.defaults(), clock);
    }

    /** @param spread whether frames of stateless pipelines are spread over every partition, and their events put in order */
    public static Topology build(Topics topics, TopologySerdes serdes, PipelineUdfs udfs, FrameLimits limits,
            ClockSkewLimits skew, FrameSpread spread, Clock clock) {
        if (!spread.enabled()) {
            var bytes = Serdes.ByteArray().deserializer();
            return withStateAndSinks(new Topology()
                    .addSource(SOURCE, bytes, bytes, topics.frames())
                    .addProcessor(UDF_CHAIN, () -> new FrameProcessor(serdes.frames(), udfs, limits, skew, clock,
                            true, IN_PLACE), SOURCE),
                    topics, serdes, udfs);
        }
        var bytes = Serdes.ByteArray();
        var builder = new StreamsBuilder();
        builder.addStateStore(udfStateStore());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FrameRouter.STORE),
                Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EventOrder.STORE),
                Serdes.String(), Serdes.ByteArray()));
        // The DSL names the first node of each repartition; the processors forwarding to it learn it once built.
        var children = new String[2];
        KStream<byte[], byte[]> routed = builder.stream(topics.frames(), Consumed.with(bytes, bytes).withName(SOURCE))
                .process(() -> new FrameRouter(udfs, UDF_CHAIN, children[0]), Named.as(ROUTER), FrameRouter.STORE);
        routed.process(() -> new FrameProcessor(serdes.frames(), udfs, limits, skew, clock, true, IN_PLACE),
                Named.as(UDF_CHAIN), STATE_STORE);
        Serde<DetectionEvent> events = eventsUnder(serdes.events(), topics.detections());
        @SuppressWarnings({"unchecked", "rawtypes"})
        KStream<String, DetectionEvent> spreadEvents = (KStream) routed
                .repartition(Repartitioned.<byte[], byte[]>as(SPREAD).withKeySerde(bytes).withValueSerde(bytes)
                        .withStreamPartitioner(new RoundRobin()))
                .process(() -> new FrameProcessor(serdes.frames(), udfs, limits, skew, clock, true,
                        new FrameProcessor.Routes(children[1], SPREAD_PREFIX + ANNOTATED_SINK,
                                SPREAD_PREFIX + OUTPUTS_SINK, SPREAD_PREFIX + DEAD_LETTER_SINK, children[1], false)),
                        Named.as(PIXEL_CHAIN));
        spreadEvents
                .repartition(Repartitioned.<String, DetectionEvent>as(ORDER).withKeySerde(Serdes.String())
                        .withValueSerde(events))
                .process(() -> new EventOrder(events, topics.detections(), spread.orderTimeout()), Named.as(ORDER_EVENTS),
                        EventOrder.STORE);
        Topology topology = builder.build();
        var description = topology.describe();
        children[0] = child(description, ROUTER, SPREAD);
        children[1] = child(description, PIXEL_CHAIN, ORDER);
        var stringSerializer = Serdes.String().serializer();
        return tracked(sinks(topology, topics, serdes), topics, serdes, udfs)
                .addProcessor(SPREAD_PREFIX + TRACK, () -> new FaceTracking(SPREAD_PREFIX + TRACKS_STORE,
                        TrackerSettings.defaults(), SPREAD_PREFIX + DETECTIONS_SINK, SPREAD_PREFIX + TRACKS_SINK,
                        camera -> udfs.pipelines().zonesOf(camera), SPREAD_PREFIX + ZONE_ALERTS_SINK),
                        ORDER_EVENTS)
                .addStateStore(tracksStore(SPREAD_PREFIX + TRACKS_STORE), SPREAD_PREFIX + TRACK)
                .addSink(SPREAD_PREFIX + DETECTIONS_SINK, topics.detections(), stringSerializer, serdes.detections(),
                        SPREAD_PREFIX + TRACK)
                .addSink(SPREAD_PREFIX + TRACKS_SINK, topics.tracks(), stringSerializer, serdes.tracks(),
                        SPREAD_PREFIX + TRACK)
                .addSink(SPREAD_PREFIX + ZONE_ALERTS_SINK, topics.alerts(), stringSerializer, serdes.outputs(),
                        SPREAD_PREFIX + TRACK)
                .addSink(SPREAD_PREFIX + ANNOTATED_SINK, topics.annotated(), stringSerializer, serdes.annotated(),
                        PIXEL_CHAIN)
                .addSink(SPREAD_PREFIX + OUTPUTS_SINK, new OutputTopic(topics), stringSerializer, serdes.outputs(),
                        PIXEL_CHAIN)
                .addSink(SPREAD_PREFIX + DEAD_LETTER_SINK, topics.deadLetters(), stringSerializer,
                        serdes.deadLetters(), PIXEL_CHAIN);
    }

    /** Where a processor running frames on their camera's partition sends what it makes. */
    private static final FrameProcessor.Routes IN_PLACE = new FrameProcessor.Routes(TRACK, ANNOTATED_SINK,
            OUTPUTS_SINK, DEAD_LETTER_SINK, null, true);

    /** The first node of the repartition {@code name} below {@code parent}. */
    private static String child(TopologyDescription description, String parent, String name) {
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node.name().equals(parent)) {
                    for (TopologyDescription.Node successor : node.successors()) {
                        if (successor.name().startsWith(name + "-")) {
                            return successor.name();
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("no repartition " + name + " below " + parent + " in " + description);
    }

    /** {@code serde} as if every record were on {@code topic}: events between stages share its schema subject. */
    private static Serde<DetectionEvent> eventsUnder(Serde<DetectionEvent> serde, String topic) {
        if (serde == null) {
            return null;
        }
        return Serdes.serdeFrom(
                (ignored, event) -> event == null ? null : serde.serializer().serialize(topic, event),
                (ignored, data) -> data == null ? null : serde.deserializer().deserialize(topic, data));
    }

    /** Sends spread frames to the internal topic's partitions in turn, whatever their camera. */
    private static final class RoundRobin implements StreamPartitioner<byte[], byte[]> {

        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Optional<Set<Integer>> partitions(String topic, byte[] key, byte[] value, int numPartitions) {
            return Optional.of(Set.of(Math.floorMod(next.getAndIncrement(), numPartitions)));
        }
    }

    /**
     * The topology of a replay: only the frames the {@code range} processors forward reach the pipelines, and events
     * carry zero timings, so replaying the same range twice gives the same events but for {@code processedAt}.
     *
     * @param topics the replay's topics ({@link Topics#forReplay}), frames read from the live topic
     */
    public static Topology buildReplay(Topics topics, TopologySerdes serdes, PipelineUdfs udfs, FrameLimits limits,
            ClockSkewLimits skew, Clock clock, ProcessorSupplier<byte[], byte[], byte[], byte[]> range) {
        var bytes = Serdes.ByteArray().deserializer();
        return withStateAndSinks(new Topology()
                .addSource(SOURCE, bytes, bytes, topics.frames())
                .addProcessor(REPLAY_RANGE, range, SOURCE)
                .addProcessor(UDF_CHAIN, () -> new FrameProcessor(serdes.frames(), udfs, limits, skew, clock, false,
                        IN_PLACE), REPLAY_RANGE),
                topics, serdes, udfs);
    }

    private static Topology withStateAndSinks(Topology topology, Topics topics, TopologySerdes serdes,
            PipelineUdfs udfs) {
        return tracked(sinks(topology.addStateStore(udfStateStore(), UDF_CHAIN), topics, serdes), topics, serdes,
                udfs);
    }

    /** The in-place chain's events get their track ids, then go to the detections topic. */
    private static Topology tracked(Topology topology, Topics topics, TopologySerdes serdes, PipelineUdfs udfs) {
        var strings = Serdes.String().serializer();
        return topology
                .addProcessor(TRACK, () -> new FaceTracking(TRACKS_STORE, TrackerSettings.defaults(), DETECTIONS_SINK,
                        TRACKS_SINK, camera -> udfs.pipelines().zonesOf(camera), ZONE_ALERTS_SINK), UDF_CHAIN)
                .addStateStore(tracksStore(TRACKS_STORE), TRACK)
                .addSink(DETECTIONS_SINK, topics.detections(), strings, serdes.detections(), TRACK)
                .addSink(TRACKS_SINK, topics.tracks(), strings, serdes.tracks(), TRACK)
                .addSink(ZONE_ALERTS_SINK, topics.alerts(), strings, serdes.outputs(), TRACK);
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> tracksStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray());
    }

    /** The in-place chain's annotated, outputs and dead-letter sinks. */
    private static Topology sinks(Topology topology, Topics topics, TopologySerdes serdes) {
        var stringSerializer = Serdes.String().serializer();
        return topology
                .addSink(ANNOTATED_SINK, topics.annotated(), stringSerializer, serdes.annotated(), UDF_CHAIN)
                .addSink(OUTPUTS_SINK, new OutputTopic(topics), stringSerializer, serdes.outputs(), UDF_CHAIN)
                .addSink(DEAD_LETTER_SINK, topics.deadLetters(), stringSerializer, serdes.deadLetters(), UDF_CHAIN);
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> udfStateStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(),
                Serdes.ByteArray());
    }

    /** A UDF's named output NAME goes to topic {@code <prefix>.NAME}. */
    private record OutputTopic(Topics topics) implements TopicNameExtractor<String, UdfOutputRecord> {

        @Override
        public String extract(String key, UdfOutputRecord value, RecordContext context) {
            return topics.output(value.getOutput());
        }

        /** What {@code topology.describe()} shows. */
        @Override
        public String toString() {
            return topics.output("<output>");
        }
    }
}
