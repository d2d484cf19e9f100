package io.sightline.stream;

import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.UdfOutputRecord;
import io.sightline.udf.UdfRuntime;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the processing topology: frames → each camera's pipeline (a UDF chain) → detections, annotated frames,
 * named outputs ({@code <prefix>.<output>}), dead letters; UDF state in a changelogged store. A pure function of its
 * arguments, so tests drive the same topology the product runs.
 */
public final class SightlineTopology {

    public static final String SOURCE = "frames";
    public static final String UDF_CHAIN = "udf-chain";
    public static final String DETECTIONS_SINK = "detections";
    public static final String ANNOTATED_SINK = "annotated";
    public static final String OUTPUTS_SINK = "outputs";
    public static final String DEAD_LETTER_SINK = "dead-letters";
    public static final String REPLAY_RANGE = "replay-range";
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
        var bytes = Serdes.ByteArray().deserializer();
        return withStateAndSinks(new Topology()
                .addSource(SOURCE, bytes, bytes, topics.frames())
                .addProcessor(UDF_CHAIN, () -> new FrameProcessor(serdes.frames(), udfs, limits, skew, clock, true),
                        SOURCE),
                topics, serdes);
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
                .addProcessor(UDF_CHAIN, () -> new FrameProcessor(serdes.frames(), udfs, limits, skew, clock, false),
                        REPLAY_RANGE),
                topics, serdes);
    }

    private static Topology withStateAndSinks(Topology topology, Topics topics, TopologySerdes serdes) {
        var stringSerializer = Serdes.String().serializer();
        return topology
                .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE),
                        Serdes.String(), Serdes.ByteArray()), UDF_CHAIN)
                .addSink(DETECTIONS_SINK, topics.detections(), stringSerializer, serdes.detections(), UDF_CHAIN)
                .addSink(ANNOTATED_SINK, topics.annotated(), stringSerializer, serdes.annotated(), UDF_CHAIN)
                .addSink(OUTPUTS_SINK, new OutputTopic(topics), stringSerializer, serdes.outputs(), UDF_CHAIN)
                .addSink(DEAD_LETTER_SINK, topics.deadLetters(), stringSerializer, serdes.deadLetters(), UDF_CHAIN);
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
