package io.sightline.stream;

import io.sightline.schemas.Folders;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the stream processor, validated once at start. Kafka client settings in {@code kafkaOverrides} pass
 * through untouched and win over the defaults chosen here.
 *
 * @param applicationId    Kafka Streams application id (consumer group and state directory name)
 * @param bootstrapServers Kafka brokers
 * @param topics           topics read and written
 * @param threads          stream threads in this instance; each holds its own Wasm instances
 * @param limits           frame limits; the record limit should come from the cluster ({@link FrameLimits#fromCluster})
 * @param clockSkew        how far capture time may lie from write time before an event is flagged
 * @param spread           whether frames of stateless pipelines run on every stream thread, and how long their events
 *                         wait to be put back in order
 */
public record ProcessorConfig(String applicationId, String bootstrapServers, Topics topics, int threads,
        FrameLimits limits, Map<String, String> kafkaOverrides, ClockSkewLimits clockSkew, FrameSpread spread) {

    public static final String DEFAULT_APPLICATION_ID = "sightline-processor";
    /** Commit interval exactly once: the latency before outputs become visible to read_committed consumers. */
    public static final int EXACTLY_ONCE_COMMIT_MS = 200;
    /** Commit interval at least once: a crash repeats at most about this much work. */
    public static final int AT_LEAST_ONCE_COMMIT_MS = 1000;

    public ProcessorConfig {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application id must not be blank");
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must be given, e.g. localhost:9092");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(spread, "spread");
        kafkaOverrides = Map.copyOf(kafkaOverrides);
    }

    /** With frames spread by default. */
    public ProcessorConfig(String applicationId, String bootstrapServers, Topics topics, int threads,
            FrameLimits limits, Map<String, String> kafkaOverrides, ClockSkewLimits clockSkew) {
        this(applicationId, bootstrapServers, topics, threads, limits, kafkaOverrides, clockSkew,
                FrameSpread.defaults());
    }

    /** With the default clock skew limits. */
    public ProcessorConfig(String applicationId, String bootstrapServers, Topics topics, int threads,
            FrameLimits limits, Map<String, String> kafkaOverrides) {
        this(applicationId, bootstrapServers, topics, threads, limits, kafkaOverrides, ClockSkewLimits.defaults());
    }

    public ProcessorConfig withClockSkew(ClockSkewLimits newClockSkew) {
        return new ProcessorConfig(applicationId, bootstrapServers, topics, threads, limits, kafkaOverrides,
                newClockSkew, spread);
    }

    public ProcessorConfig withSpread(FrameSpread newSpread) {
        return new ProcessorConfig(applicationId, bootstrapServers, topics, threads, limits, kafkaOverrides,
                clockSkew, newSpread);
    }

    public static ProcessorConfig of(String bootstrapServers, Topics topics, int threads, FrameLimits limits) {
        return new ProcessorConfig(DEFAULT_APPLICATION_ID, bootstrapServers, topics, threads, limits, Map.of());
    }

    /** Kafka Streams properties, with the handlers that turn a record's fault into a dead letter installed. */
    public Properties streamsProperties(Serializer<DeadLetter> deadLetters) {
        int maxRecordBytes = limits.maxRecordBytes();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        // Exactly once, outputs become visible at each commit: commit often. At least once, outputs are visible as
        // they are sent, and each commit halves how many records a stream thread takes from each task before it
        // polls again: with 200 ms frames a thread then routed about one frame per frame it detected, and the other
        // thread waited for spread frames (bench, spread frames: ratio 0.72-0.81 at 200 ms, 0.85-0.86 at 1 s).
        boolean exactlyOnce = StreamsConfig.EXACTLY_ONCE_V2.equals(
                kafkaOverrides.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, exactlyOnce ? EXACTLY_ONCE_COMMIT_MS : AT_LEAST_ONCE_COMMIT_MS);
        // Frames are large: fetch few at a time.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 50);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), maxRecordBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 4 * maxRecordBytes);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A stream thread that dies (or an instance killed with -9) leaves no LeaveGroup behind: its partitions wait
        // for the session to time out before another thread takes them. 10 s instead of Kafka's 45 s.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        // Only the group leader's consumer notices a deleted or resized source topic, and only when its metadata
        // refreshes: the leader may own no partition of that topic and see no fetch error, so Kafka's 5 minutes
        // would keep a processor without its frames topic warning instead of stopping. 15 s.
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 15_000);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxRecordBytes);
        // An event and its annotated image leave at once: waiting to batch them only adds latency.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        RecordFaultHandler.install(p, new RecordFaultHandler.Settings(topics.deadLetters(), deadLetters, limits,
                Clock.systemUTC()));
        p.put(StreamsConfig.STATE_DIR_CONFIG, temporaryStateDir().toString());
        p.putAll(kafkaOverrides);
        return p;
    }

    /** Whether the state directory is a fresh temporary one, which the processor deletes when it stops. */
    public boolean temporaryState() {
        return !kafkaOverrides.containsKey(StreamsConfig.STATE_DIR_CONFIG);
    }

    /**
     * Unless {@code state.dir} is given, each processor keeps its UDF state in a fresh folder and restores it from
     * the changelog at start: instances on one machine never contend for a state directory lock, and nothing stale
     * outlives the cluster it came from. The state itself is never lost: its changelog topic is the truth.
     */
    private static Path temporaryStateDir() {
        Path dir;
        try {
            dir = Files.createTempDirectory("sightline-streams-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary state directory: pass state.dir", e);
        }
        // The processor deletes it when it closes; this catches every other way out (a test driver, a crash).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Folders.deleteQuietly(dir), "sightline-state-cleanup"));
        return dir;
    }
}
