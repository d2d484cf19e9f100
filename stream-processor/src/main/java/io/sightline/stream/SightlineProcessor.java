package io.sightline.stream;

import io.sightline.schemas.Folders;
import io.sightline.udf.UdfRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running stream processor: the topology on Kafka Streams, started and stopped as one unit. */
public final class SightlineProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SightlineProcessor.class);

    private final KafkaStreams streams;
    private final Path temporaryState;
    private final CountDownLatch running = new CountDownLatch(1);
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final CompletableFuture<String> unexpectedStop = new CompletableFuture<>();
    private final StreamThreadRestarts restarts = StreamThreadRestarts.withSleep();
    private volatile boolean closing;

    private SightlineProcessor(KafkaStreams streams, Path temporaryState) {
        this.streams = streams;
        this.temporaryState = temporaryState;
    }

    public static SightlineProcessor start(ProcessorConfig config, TopologySerdes serdes, UdfRuntime udfs) {
        return start(config, serdes, new ActiveUdf(udfs));
    }

    /** @param udfs the UDF to run, switchable while the processor runs; the caller closes it after the processor */
    public static SightlineProcessor start(ProcessorConfig config, TopologySerdes serdes, ActiveUdf udfs) {
        return start(config, serdes, PipelineUdfs.single(udfs));
    }

    /**
     * @param udfs the pipelines' UDFs, each stage switchable while the processor runs; the caller closes them after
     *             the processor
     */
    public static SightlineProcessor start(ProcessorConfig config, TopologySerdes serdes, PipelineUdfs udfs) {
        var topology = SightlineTopology.build(config.topics(), serdes, udfs, config.limits(), config.clockSkew(),
                config.spread(), Clock.systemUTC());
        Properties properties = config.streamsProperties(serdes.deadLetters());
        Path stateDir = config.temporaryState() ? Path.of(properties.getProperty(StreamsConfig.STATE_DIR_CONFIG))
                : null;
        var processor = new SightlineProcessor(new KafkaStreams(topology, properties), stateDir);
        processor.streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                processor.running.countDown();
            }
            if (!processor.closing && (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_SHUTDOWN)) {
                Throwable cause = processor.fatal.get();
                processor.unexpectedStop.complete("Kafka Streams went from " + before + " to " + now
                        + (cause == null ? "" : ": " + cause.getMessage()));
            }
        });
        processor.streams.setUncaughtExceptionHandler(e -> {
            var response = processor.restarts.onFailure(e);
            if (response == StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD) {
                LOG.warn("stream thread failed ({}); replaced, its task resumes from the last commit", e.toString());
            } else {
                processor.fatal.compareAndSet(null, e);
                processor.running.countDown();
            }
            return response;
        });
        processor.streams.start();
        return processor;
    }

    /** Blocks until partitions are assigned and processing runs; fails with the cause if a stream thread died. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("stream processor not running after " + timeout + " (state "
                    + streams.state() + "): is the broker reachable and do the topics exist?");
        }
        Throwable error = fatal.get();
        if (error != null) {
            throw new IllegalStateException("stream processor failed: " + error.getMessage(), error);
        }
    }

    /**
     * Completes, with the reason, when the client stops without {@link #close()} being called (a stream thread died,
     * the client reached ERROR). A process should then exit non-zero, so its supervisor restarts it.
     */
    public CompletableFuture<String> unexpectedStop() {
        return unexpectedStop;
    }

    /** The Kafka Streams client, for metrics binders (e.g. Micrometer's KafkaStreamsMetrics); do not close it. */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    /** How many stream threads failed (the registry or a broker away too long) and were replaced so far. */
    public int streamThreadsReplaced() {
        return restarts.replaced();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        closing = true;
        // Leaving the group hands this instance's partitions to the others at once, not after the session timeout.
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (temporaryState != null) {
            Folders.deleteQuietly(temporaryState);
        }
    }
}
