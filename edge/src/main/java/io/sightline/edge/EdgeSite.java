package io.sightline.edge;

import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.ingest.CameraFleet;
import io.sightline.ingest.CameraList;
import io.sightline.ingest.DirectorySource;
import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.FrameSink;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.PacedSink;
import io.sightline.ingest.RejectedImageException;
import io.sightline.model.DetectionOptions;
import io.sightline.model.FaceDetector;
import io.sightline.model.ModelStore;
import io.sightline.model.ModelStoreConfig;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.KafkaClients;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.Frame;
import io.sightline.stream.ActiveUdf;
import io.sightline.stream.FollowedPipelines;
import io.sightline.stream.ModelActivationWatcher;
import io.sightline.stream.Pipelines;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.SnapshotEncoding;
import io.sightline.stream.TopologySerdes;
import io.sightline.stream.UdfDeploymentWatcher;
import io.sightline.stream.UdfStack;
import io.sightline.udf.UdfConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything an edge site runs in one process: the broker with its data directory and the registry, the processor
 * following the UDF deployments topic, a camera folder replayed at a steady rate, and MirrorMaker 2 forwarding
 * results to the centre and control topics from it.
 */
public final class EdgeSite implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeSite.class);

    /**
     * @param input          folder of images (sub-folders are cameras), replayed in a loop; null = no camera here
     * @param fps            frames per second per replay (0 = as fast as the broker takes them)
     * @param retentionBytes per partition of the edge's topics (-1 = unlimited)
     * @param retentionMs    of the edge's topics (-1 = unlimited)
     * @param stallRestart   restart the edge-to-centre flow when it has not moved for this long while records wait
     *                       and the centre answers
     * @param trust          the signatures the edge's processor requires on deployments arriving from the centre
     */
    public record Config(String site, String centralBootstrap, String centralRegistry, Path input, int port,
            int registryPort, Path dataDir, double fps, boolean forwardSnapshots, boolean forwardFrames,
            long retentionBytes, long retentionMs, int threads, float minFace, String udfName,
            ModelStoreConfig models, Map<String, String> mirrorOverrides, Duration stallRestart,
            UdfDeploymentWatcher.Trust trust) {
    }

    private final Config config;
    private final Topics topics = Topics.withPrefix(Topics.DEFAULT_PREFIX);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong cameraBytes = new AtomicLong();
    private final Instant started = Instant.now();
    private LocalCluster cluster;
    private ActiveUdf udfs;
    private SightlineProcessor processor;
    private EdgeForwarder forwarder;
    private ForwardingMonitor monitor;
    private Thread camera;
    private volatile boolean stopCamera;
    private volatile Runnable stopCameras = () -> {};
    private ScheduledExecutorService watchdog;
    private StallWatch stallWatch;

    private EdgeSite(Config config) {
        this.config = config;
    }

    public static EdgeSite start(Config config) throws Exception {
        EdgeForwarderConfig.requireSite(config.site());
        var site = new EdgeSite(config);
        try {
            site.startAll();
            return site;
        } catch (Exception | Error e) {
            site.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        var kafkaConfig = EmbeddedKafkaConfig.defaults().withDataDir(config.dataDir()).withPorts(config.port(), 0);
        cluster = LocalCluster.start(kafkaConfig, config.registryPort(), topics, config.threads());
        resources.add(cluster);
        applyRetention();
        FrameLimits limits = FrameLimits.defaults().fromCluster(cluster.bootstrapServers(), topics.all());
        SightlineSerdes serdes = cluster.serdes();
        var processorConfig = ProcessorConfig.of(cluster.bootstrapServers(), topics, config.threads(), limits);

        UdfConfig udfConfig = UdfStack.udfConfig(new DetectionOptions(config.minFace()), limits,
                SnapshotEncoding.defaults());
        ModelStore models = ModelStore.open(config.models());
        resources.add(0, models);
        // Follows sightline.models, where activations made at the centre arrive: the edge switches model versions
        // without a restart.
        resources.add(0, ModelActivationWatcher.start(cluster.bootstrapServers(), topics.models(), models,
                Duration.ofSeconds(30)));
        FaceDetector detector = models.faceDetector();
        // Follows sightline.udfs, where deployments made at the centre arrive: the edge switches without a restart.
        FollowedPipelines followed = FollowedPipelines.open(cluster.bootstrapServers(), topics.udfs(), serdes,
                Pipelines.single(config.udfName()), detector, udfConfig, Duration.ofSeconds(30), config.trust());
        resources.add(0, followed);
        udfs = followed.udfs().stages(Pipelines.DEFAULT_PIPELINE).get(0);
        processor = SightlineProcessor.start(processorConfig, TopologySerdes.from(serdes), followed.udfs());
        resources.add(0, processor);
        processor.awaitRunning(Duration.ofMinutes(2));

        var forwarding = new EdgeForwarderConfig(config.site(), cluster.bootstrapServers(),
                cluster.registryUrl().toString(), config.centralBootstrap(), config.centralRegistry(),
                EdgeForwarderConfig.forwardedTopics(topics, config.forwardSnapshots(), config.forwardFrames()),
                EdgeForwarderConfig.controlTopics(topics), EdgeForwarderConfig.avroControlTopics(topics), 1,
                limits.maxRecordBytes(), Duration.ofSeconds(5), config.mirrorOverrides());
        forwarder = EdgeForwarder.start(forwarding);
        resources.add(0, forwarder);
        monitor = new ForwardingMonitor(forwarding);
        resources.add(0, monitor);
        stallWatch = new StallWatch(config.stallRestart());
        watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sightline-edge-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        resources.add(0, watchdog::shutdownNow);
        watchdog.scheduleWithFixedDelay(this::checkForwarding, 10, 10, TimeUnit.SECONDS);

        if (config.input() != null && isCameraList(config.input())) {
            startCameraList(serdes, limits);
        } else if (config.input() != null) {
            startCamera(serdes, limits);
        }
    }

    /** The edge's log is the buffer while the link is down: bounded by size and time per partition. */
    private void applyRetention() throws Exception {
        List<AlterConfigOp> ops = new ArrayList<>();
        if (config.retentionBytes() != 0) {
            ops.add(new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_BYTES_CONFIG,
                    Long.toString(config.retentionBytes())), AlterConfigOp.OpType.SET));
        }
        if (config.retentionMs() != 0) {
            ops.add(new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(config.retentionMs())), AlterConfigOp.OpType.SET));
        }
        if (ops.isEmpty()) {
            return;
        }
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        topics.all().forEach(topic -> changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops));
        try (Admin admin = Admin.create(KafkaClients.config(cluster.bootstrapServers()))) {
            admin.incrementalAlterConfigs(changes).all().get();
        }
    }

    /**
     * A folder replayed as a live camera: round after round, each frame renamed {@code <frame>-r<round>} and stamped
     * with the time it was sent, at most {@code fps} frames a second.
     */
    private void startCamera(SightlineSerdes serdes, FrameLimits limits) {
        var source = new DirectorySource(new DirectorySourceConfig(config.input(), Optional.empty(), limits));
        var sink = KafkaFrameSink.open(cluster.bootstrapServers(), serdes, topics, limits, 8);
        resources.add(0, sink);
        camera = new Thread(() -> {
            var paced = new PacedSink(sink, config.fps());
            for (long round = 1; !stopCamera; round++) {
                try {
                    source.publish(new Replay(paced, round));
                } catch (Exception e) {
                    if (!stopCamera) {
                        LOG.error("camera replay of {} stopped: {}", config.input(), e.toString());
                    }
                    return;
                }
            }
        }, "sightline-edge-camera");
        camera.setDaemon(true);
        camera.start();
    }

    /** A camera list (YAML) rather than a folder: {@code --cameras}, or {@code --input} naming a .yaml file. */
    public static boolean isCameraList(Path input) {
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(input) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    /**
     * The cameras of a list, each on its own thread (live ones until the edge stops, folders and videos once), with
     * their own capture times; a failing camera never stops the others.
     */
    private void startCameraList(SightlineSerdes serdes, FrameLimits limits) {
        var fleet = new CameraFleet(CameraList.load(config.input()));
        var sink = KafkaFrameSink.open(cluster.bootstrapServers(), serdes, topics, limits, 8);
        resources.add(0, sink);
        resources.add(0, fleet::stop);
        camera = new Thread(() -> {
            try {
                fleet.run(new Counted(sink), limits, Optional.empty());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sightline-edge-cameras");
        camera.setDaemon(true);
        camera.start();
        stopCameras = fleet::stop;
    }

    /** Counts the frames and bytes the cameras deliver, for the bandwidth report. */
    private final class Counted implements FrameSink {
        private final FrameSink next;

        Counted(FrameSink next) {
            this.next = next;
        }

        @Override
        public void frame(Frame frame) {
            next.frame(frame);
            framesIn.incrementAndGet();
            cameraBytes.addAndGet(frame.getPayload().remaining());
        }

        @Override
        public void rejected(String cameraId, String frameId, String origin, byte[] content,
                RejectedImageException why) {
            next.rejected(cameraId, frameId, origin, content, why);
        }
    }

    private final class Replay implements FrameSink {
        private final FrameSink next;
        private final long round;

        Replay(FrameSink next, long round) {
            this.next = next;
            this.round = round;
        }

        @Override
        public void frame(Frame frame) {
            if (stopCamera) {
                throw new IllegalStateException("camera stopped");
            }
            Frame live = Frame.newBuilder(frame).setFrameId(frame.getFrameId() + "-r" + round)
                    .setCapturedAt(Instant.now()).build();
            next.frame(live);
            framesIn.incrementAndGet();
            cameraBytes.addAndGet(frame.getPayload().remaining());
        }

        @Override
        public void rejected(String cameraId, String frameId, String origin, byte[] content,
                RejectedImageException why) {
            if (round == 1) {
                next.rejected(cameraId, frameId, origin, content, why);
            }
        }
    }

    /** Restarts the edge-to-centre flow when it is stuck: records waiting, the centre reachable, no progress. */
    private void checkForwarding() {
        try {
            if (stallWatch.check(monitor.status(), System.nanoTime())) {
                forwarder.restartUpstream();
            }
        } catch (RuntimeException e) {
            LOG.warn("forwarding check failed: {}", e.toString());
        }
    }

    /** Stops the camera replay (the rest keeps running) and waits for it. */
    public void stopCamera() throws InterruptedException {
        stopCamera = true;
        stopCameras.run();
        if (camera != null) {
            camera.join(Duration.ofSeconds(30).toMillis());
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public String registryUrl() {
        return cluster.registryUrl().toString();
    }

    public Topics topics() {
        return topics;
    }

    public SightlineProcessor processor() {
        return processor;
    }

    public EdgeSummary summary() {
        ForwardingMonitor.Status forwarding = monitor.status();
        return new EdgeSummary(config.site(), Duration.between(started, Instant.now()), framesIn.get(),
                cameraBytes.get(), recordsIn(topics.detections()), forwarding, udfs.info().label(),
                udfs.info().sha256());
    }

    /** Records written to an edge topic so far (its end offsets). */
    private long recordsIn(String topic) {
        try (var consumer = new KafkaConsumer<>(KafkaClients.config(cluster.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }

    @Override
    public void close() {
        stopCamera = true;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
