package io.sightline.stream;

import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.Topics;
import io.sightline.schemas.WireFormatException;
import io.sightline.schemas.WriteTime;
import io.sightline.schemas.avro.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reprocesses a time range of the frames topic into a replay's own output topics ({@link Topics#forReplay}), so live
 * consumers see nothing of it, and stops when the range is done. Frames are chosen by capture time, which the frame
 * carries; the topic's own timestamps are write times ({@link io.sightline.schemas.WriteTime}), which bound where a
 * frame captured at {@code from} can be: no earlier than {@code from} minus how far a camera's clock may run ahead
 * (the lookback), and anywhere after it (an archive ingested later). So the range is fixed as offsets when the
 * replay is planned (per partition, the first offset written at or after {@code from - lookback}, and the end of the
 * log); inside it only frames captured within {@code [from, to]} (and of the one camera, if given) are processed. Each replay runs as its
 * own consumer group, {@code sightline-replay-ID}, started at the planned offsets, with its own state, so the same
 * range replayed twice gives the same events but for {@code processedAt}.
 */
public final class ReplayRange {

    /** A day: a camera whose clock runs further ahead than that is not a time-zone error but a broken clock. */
    public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(1);

    private final Plan plan;
    private final Progress progress;

    private ReplayRange(Plan plan) {
        this.plan = plan;
        this.progress = new Progress(plan);
    }

    /**
     * What a replay covers: per partition of the frames topic, the offsets {@code [start, end)}.
     *
     * @param camera only this camera's frames, or all when empty
     */
    public record Plan(String id, Topics liveTopics, Instant from, Instant to, Optional<String> camera,
            Map<TopicPartition, long[]> offsets) {

        public Plan {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(camera, "camera");
            offsets = Map.copyOf(offsets);
        }

        public Topics topics() {
            return liveTopics.forReplay(id);
        }

        public String applicationId() {
            return "sightline-replay-" + id;
        }

        /** Records in the planned offset ranges: an upper bound of what is replayed (other cameras are skipped). */
        public long recordsInRange() {
            return offsets.values().stream().mapToLong(range -> range[1] - range[0]).sum();
        }
    }

    /** How far a replay is; updated by the stream threads, read by whoever reports it. */
    public static final class Progress {

        private final Plan plan;
        private final Map<TopicPartition, Long> nextOffsets = new ConcurrentHashMap<>();
        private final AtomicLong replayed = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();

        private Progress(Plan plan) {
            this.plan = plan;
            plan.offsets().forEach((partition, range) -> nextOffsets.put(partition, range[0]));
        }

        /** Frames sent through the UDF chain. */
        public long replayed() {
            return replayed.get();
        }

        /** Records inside the offset ranges that were not replayed: another camera, or captured outside the range. */
        public long skipped() {
            return skipped.get();
        }

        /** Records of the planned ranges read so far. */
        public long read() {
            long read = 0;
            for (var entry : plan.offsets().entrySet()) {
                long[] range = entry.getValue();
                read += Math.min(range[1], nextOffsets.getOrDefault(entry.getKey(), range[0])) - range[0];
            }
            return read;
        }

        public boolean done() {
            return plan.offsets().entrySet().stream()
                    .allMatch(entry -> nextOffsets.getOrDefault(entry.getKey(), 0L) >= entry.getValue()[1]);
        }

        private void seen(TopicPartition partition, long offset) {
            nextOffsets.merge(partition, offset + 1, Math::max);
        }

        /** Records read of the range, percent and the time left at the rate so far. */
        public static String line(Progress progress, long total, long beganNanos) {
            long read = progress == null ? 0 : progress.read();
            double seconds = (System.nanoTime() - beganNanos) / 1e9;
            double percent = total == 0 ? 100 : 100.0 * read / total;
            String eta = read == 0 ? "?" : String.format("%.0f s", (total - read) * seconds / read);
            return String.format("  replay: %d / %d records (%.0f %%), %d replayed, ETA %s", read, total, percent,
                    progress == null ? 0 : progress.replayed(), eta);
        }
    }

    /** Passes on the frames of the range; everything else is counted and dropped before the UDF chain. */
    static final class Filter implements Processor<byte[], byte[], byte[], byte[]> {

        private final Plan plan;
        private final Progress progress;
        private final Deserializer<Frame> frames;
        private final byte[] camera;
        private ProcessorContext<byte[], byte[]> context;

        private Filter(Plan plan, Progress progress, Deserializer<Frame> frames) {
            this.plan = plan;
            this.progress = progress;
            this.frames = frames;
            this.camera = plan.camera().map(id -> id.getBytes(StandardCharsets.UTF_8)).orElse(null);
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            var partition = new TopicPartition(source.topic(), source.partition());
            long[] range = plan.offsets().get(partition);
            boolean inOffsets = range != null && source.offset() >= range[0] && source.offset() < range[1];
            if (inOffsets) {
                long capturedAt = capturedAt(source.topic(), record);
                boolean inTime = capturedAt >= plan.from().toEpochMilli() && capturedAt <= plan.to().toEpochMilli();
                boolean ofCamera = camera == null || Arrays.equals(camera, record.key());
                if (inTime && ofCamera) {
                    context.forward(record);
                    progress.replayed.incrementAndGet();
                } else {
                    progress.skipped.incrementAndGet();
                }
            }
            // Counted only after forwarding: the frame's outputs are in the producer by the time the range is done.
            progress.seen(partition, source.offset());
        }

        /**
         * The frame's capture time; for bytes that are no frame, the time they were written, so that a bad record
         * of the range still reaches the replay's dead-letter topic.
         */
        private long capturedAt(String topic, Record<byte[], byte[]> record) {
            try {
                return frames.deserialize(topic, record.value()).getCapturedAt().toEpochMilli();
            } catch (WireFormatException e) {
                return record.timestamp();
            }
        }
    }

    /**
     * Fixes the range as offsets of the frames topic.
     *
     * @throws IllegalArgumentException if {@code to} is before {@code from}, or the frames topic does not exist
     */
    public static Plan plan(String bootstrapServers, Topics liveTopics, String id, Instant from, Instant to,
            Optional<String> camera) {
        return plan(bootstrapServers, liveTopics, id, from, to, camera, DEFAULT_LOOKBACK);
    }

    /**
     * @param lookback how long before {@code from} the frames captured from {@code from} on may have been written:
     *                 as far as a camera's clock may run ahead
     */
    public static Plan plan(String bootstrapServers, Topics liveTopics, String id, Instant from, Instant to,
            Optional<String> camera, Duration lookback) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        if (lookback.isNegative()) {
            throw new IllegalArgumentException("--lookback must not be negative, got " + lookback);
        }
        liveTopics.forReplay(id);
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(liveTopics.frames(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + liveTopics.frames() + " does not exist on "
                        + bootstrapServers + ": nothing to replay");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(
                    times(partitions, from.minus(lookback)));
            Map<TopicPartition, long[]> offsets = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long end = ends.get(partition);
                long start = Optional.ofNullable(starts.get(partition)).map(OffsetAndTimestamp::offset).orElse(end);
                offsets.put(partition, new long[] {start, Math.max(start, end)});
            }
            return new Plan(id, liveTopics, from, to, camera, offsets);
        }
    }

    private static Map<TopicPartition, Long> times(Collection<TopicPartition> partitions, Instant at) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, at.toEpochMilli()));
        return times;
    }

    /**
     * Runs the replay to its end: creates the replay's topics (partitions and record size as the live ones), starts
     * its consumer group at the planned offsets, processes, and returns once every partition is past its range and
     * the outputs are flushed.
     *
     * @param onTick called about once a second with the progress so far
     * @throws IllegalStateException if the replay does not finish within {@code timeout}, or its processor fails
     */
    public static Progress run(Plan plan, ProcessorConfig live, TopologySerdes serdes, PipelineUdfs udfs,
            Duration timeout, Consumer<Progress> onTick) throws InterruptedException {
        ReplayRange replay = new ReplayRange(plan);
        prepare(plan, live.bootstrapServers(), udfs.pipelines().outputTopics());
        if (replay.progress.done()) {
            return replay.progress;
        }
        var config = new ProcessorConfig(plan.applicationId(), live.bootstrapServers(), plan.topics(),
                live.threads(), live.limits(), live.kafkaOverrides(), live.clockSkew());
        Properties props = config.streamsProperties(serdes.deadLetters());
        // Frames outside the range are read and dropped; nothing is worth recovering from a crashed replay's state.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        var topology = SightlineTopology.buildReplay(plan.topics(), serdes, udfs, live.limits(), live.clockSkew(),
                Clock.systemUTC(), replay.filters(serdes.frames()));
        try (var streams = new KafkaStreams(topology, props)) {
            var failure = new AtomicReference<Throwable>();
            streams.setUncaughtExceptionHandler(e -> {
                failure.set(e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!replay.progress.done()) {
                if (failure.get() != null) {
                    throw new IllegalStateException("replay " + plan.id() + " failed: " + failure.get().getMessage(),
                            failure.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replay " + plan.id() + " not done after " + timeout + ": read "
                            + replay.progress.read() + " of " + plan.recordsInRange() + " records");
                }
                onTick.accept(replay.progress);
                Thread.sleep(1000);
            }
            onTick.accept(replay.progress);
            // close() flushes the producers and commits, so the outputs of the last frames are on the broker.
        }
        return replay.progress;
    }

    /** A new filter per task, all sharing the one plan and progress. */
    private ProcessorSupplier<byte[], byte[], byte[], byte[]> filters(Deserializer<Frame> frames) {
        return () -> new Filter(plan, progress, frames);
    }

    /**
     * The replay's topics, shaped as the live ones (named outputs like the live detections topic), and its consumer
     * group at the start of the range.
     */
    private static void prepare(Plan plan, String bootstrapServers, Collection<String> outputNames) {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        try (Admin admin = Admin.create(p)) {
            List<String> live = new ArrayList<>(plan.liveTopics().outputs());
            List<String> replay = new ArrayList<>(plan.topics().outputs());
            for (String name : outputNames) {
                live.add(plan.liveTopics().detections());
                replay.add(plan.topics().output(name));
            }
            createLike(admin, live, replay);
            try {
                admin.deleteConsumerGroups(List.of(plan.applicationId())).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw new IllegalStateException("cannot reset replay group " + plan.applicationId()
                            + " (is a replay with id " + plan.id() + " still running?): " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
            Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
            plan.offsets().forEach((partition, range) -> starts.put(partition, new OffsetAndMetadata(range[0])));
            admin.alterConsumerGroupOffsets(plan.applicationId(), starts).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot prepare replay " + plan.id() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing replay " + plan.id(), e);
        }
    }

    private static void createLike(Admin admin, List<String> live, List<String> replay)
            throws ExecutionException, InterruptedException {
        Map<String, TopicDescription> shapes = admin.describeTopics(live.stream().distinct().toList())
                .allTopicNames().get();
        List<ConfigResource> resources = live.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources.stream().distinct().toList()).all().get();
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            TopicDescription shape = shapes.get(live.get(i));
            Config config = configs.get(resources.get(i));
            Map<String, String> settings = new HashMap<>(WriteTime.TOPIC_CONFIG);
            Optional.ofNullable(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)).map(ConfigEntry::value)
                    .ifPresent(value -> settings.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, value));
            topics.add(new NewTopic(replay.get(i), Optional.of(shape.partitions().size()), Optional.empty())
                    .configs(settings));
        }
        for (NewTopic topic : topics) {
            try {
                admin.createTopics(List.of(topic)).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
