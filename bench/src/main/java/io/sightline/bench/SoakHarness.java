package io.sightline.bench;

import io.sightline.ingest.ImageHeader;
import io.sightline.ingest.ImageProbe;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.RejectedImageException;
import io.sightline.schemas.FrameLimits;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import io.sightline.schemas.avro.ImageEncoding;
import io.sightline.schemas.avro.SourceInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs a {@link SoakPlan}: the central broker, a schema registry, two processors and an edge site each in its own
 * process; cameras published here at a steady rate; the edge's link to the centre through a {@link LinkProxy}; the
 * faults on their schedule; every output read as it comes. Then it reconciles: every acknowledged frame must have come
 * out as an event or a dead letter, every event the edge made must have reached the centre, and the resident memory of
 * the processes that ran throughout must be flat after warm-up.
 */
public final class SoakHarness {

    private static final String SITE = "soak";
    private static final String PREFIX = Topics.DEFAULT_PREFIX;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(15);
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    private final SoakPlan plan;
    private final PrintWriter out;
    private final Topics topics = Topics.withPrefix(PREFIX);
    private final long started = System.nanoTime();
    private final Map<String, Part> parts = new ConcurrentHashMap<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> sendFailures = new ConcurrentHashMap<>();
    private final List<SoakReport.RssSample> rss = new ArrayList<>();
    private final List<SoakReport.FaultDone> faultsDone = new ArrayList<>();
    private final SoakReport.Outputs central = new SoakReport.Outputs();
    private volatile boolean publishing = true;
    private volatile boolean sampling = true;
    private volatile boolean reading = true;

    public SoakHarness(SoakPlan plan, PrintWriter out) {
        this.plan = plan;
        this.out = out;
    }

    /** A process of the run, started again the same way after a fault. */
    private final class Part {
        final String name;
        final List<String> args;
        final Predicate<String> ready;
        Process process;

        Part(String name, List<String> args, Predicate<String> ready) {
            this.name = name;
            this.args = args;
            this.ready = ready;
        }

        void start() throws Exception {
            List<String> command = new ArrayList<>(plan.launcher());
            command.addAll(args);
            Path log = plan.workDir().resolve(name + ".log");
            // A part started again appends to its log: only what this start wrote says it is ready.
            int from = Files.exists(log) ? Files.readString(log).length() : 0;
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
                }
                if (Files.readString(log).substring(from).lines().anyMatch(ready)) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException(name + " not ready after 3 min; see " + log);
        }

        void stop(boolean kill) throws InterruptedException {
            if (kill) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    public SoakReport run() throws Exception {
        Files.createDirectories(plan.workDir());
        int brokerPort = freePort();
        int linkPort = freePort();
        int registryPort = freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        String registry = "http://127.0.0.1:" + registryPort;
        part("broker", List.of("broker", "--data-dir", plan.workDir().resolve("broker").toString(), "--port",
                String.valueOf(brokerPort), "--registry-port", String.valueOf(freePort()), "--partitions", "2",
                "--external-listener", "127.0.0.2:" + linkPort, "--json"), line -> line.contains("\"bootstrapServers\""));
        part("registry", List.of("registry", "--bootstrap-servers", bootstrap, "--port", String.valueOf(registryPort),
                "--json"), line -> line.contains("\"registryUrl\""));
        List<String> processor = new ArrayList<>(List.of("process", "--bootstrap-servers", bootstrap, "--registry-url",
                registry, "--threads", "1", "--application-id", "soak-processor", "--assets", plan.assets().toString()));
        if (plan.exactlyOnce()) {
            processor.add("--exactly-once");
        }
        for (String name : List.of("processor-a", "processor-b")) {
            List<String> args = new ArrayList<>(processor);
            args.addAll(List.of("--state-dir", plan.workDir().resolve(name).toString()));
            part(name, args, line -> line.startsWith("Processing "));
        }
        Path edgeCameras = Files.createDirectories(plan.workDir().resolve("edge-cameras/gate"));
        Path image = plan.assets().resolve("images/tf-mtcnn-test.jpg");
        for (int i = 0; i < 4; i++) {
            Files.copy(image, edgeCameras.resolve("gate-" + i + ".jpg"), StandardCopyOption.REPLACE_EXISTING);
        }
        int edgePort = freePort();
        int edgeRegistryPort = freePort();
        part("edge", List.of("edge", "--site", SITE, "--central-bootstrap", "127.0.0.2:" + linkPort,
                "--central-registry", registry, "--input", edgeCameras.getParent().toString(), "--fps",
                String.valueOf(plan.fps()), "--port", String.valueOf(edgePort), "--registry-port",
                String.valueOf(edgeRegistryPort), "--data-dir", plan.workDir().resolve("edge").toString(), "--assets",
                plan.assets().toString(), "--status-interval", "0"), line -> line.startsWith("Edge " + SITE + ":"));

        try (LinkProxy link = new LinkProxy(new InetSocketAddress("127.0.0.2", linkPort),
                new InetSocketAddress("127.0.0.1", linkPort))) {
            for (String name : List.of("broker", "registry", "processor-a", "processor-b", "edge")) {
                parts.get(name).start();
                say("%s started", name);
            }
            var serdes = SightlineSerdes.forUrls(registry);
            Thread reader = daemon("soak-outputs", () -> readCentral(bootstrap, serdes));
            Thread publisher = daemon("soak-cameras", () -> publish(bootstrap, serdes, image));
            Thread sampler = daemon("soak-rss", this::sample);
            for (SoakPlan.Fault fault : plan.faults()) {
                sleepUntil(fault.at());
                inject(fault, link);
            }
            sleepUntil(plan.length().minus(SoakPlan.DRAIN));
            publishing = false;
            publisher.join();
            say("cameras stopped: %d frames acknowledged", acknowledged.size());
            awaitCentral(Duration.ofMinutes(3));
            SoakReport.EdgeCheck edge = checkEdge("127.0.0.1:" + edgePort,
                    SightlineSerdes.forUrls("http://127.0.0.1:" + edgeRegistryPort), bootstrap, serdes);
            sampling = false;
            sampler.join();
            reading = false;
            reader.join();
            return new SoakReport(plan, Duration.ofNanos(System.nanoTime() - started), Set.copyOf(acknowledged),
                    Map.copyOf(sendFailures), central.snapshot(), edge, List.copyOf(faultsDone), List.copyOf(rss));
        } finally {
            for (String name : List.of("edge", "processor-a", "processor-b", "registry", "broker")) {
                Part part = parts.get(name);
                if (part != null && part.process != null && part.process.isAlive()) {
                    part.stop(false);
                }
            }
        }
    }

    private void part(String name, List<String> args, Predicate<String> ready) {
        parts.put(name, new Part(name, args, ready));
    }

    private void inject(SoakPlan.Fault fault, LinkProxy link) throws Exception {
        long began = System.nanoTime();
        switch (fault.kind()) {
            case PROCESSOR_KILL -> {
                parts.get("processor-a").stop(true);
                Thread.sleep(fault.kind().lasting().toMillis());
                parts.get("processor-a").start();
            }
            case BROKER_RESTART -> {
                parts.get("broker").stop(false);
                parts.get("broker").start();
            }
            case REGISTRY_DOWN -> {
                parts.get("registry").stop(false);
                Thread.sleep(fault.kind().lasting().toMillis());
                parts.get("registry").start();
            }
            case EDGE_LINK_CUT -> {
                link.cut();
                Thread.sleep(fault.kind().lasting().toMillis());
                link.restore();
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        synchronized (faultsDone) {
            faultsDone.add(new SoakReport.FaultDone(fault.kind(), elapsed().minus(took), took));
        }
        say("%s done in %.1f s", fault.kind(), took.toMillis() / 1000.0);
    }

    /** Each camera at the plan's rate, frames named camera-sequence, capture time = send time. */
    private void publish(String bootstrap, SightlineSerdes serdes, Path image) {
        byte[] bytes;
        ImageHeader header;
        try {
            bytes = Files.readAllBytes(image);
            header = new ImageProbe(FrameLimits.defaults().maxPixels()).probe(bytes);
        } catch (IOException | RejectedImageException e) {
            throw new IllegalStateException("cannot read " + image + ": " + e.getMessage(), e);
        }
        var properties = KafkaFrameSink.producerProperties(bootstrap, FrameLimits.defaults());
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), serdes.serializer(Frame.class))) {
            long begin = System.nanoTime();
            for (long tick = 0; publishing; tick++) {
                long due = begin + (long) (tick * 1e9 / plan.fps());
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                for (int camera = 1; camera <= plan.cameras(); camera++) {
                    String cameraId = "cam-" + camera;
                    String frameId = String.format(Locale.ROOT, "%s-%06d", cameraId, tick);
                    Frame frame = Frame.newBuilder().setCameraId(cameraId).setFrameId(frameId)
                            .setCapturedAt(Instant.now()).setEncoding(ImageEncoding.valueOf(header.encoding().name()))
                            .setWidth(header.width()).setHeight(header.height()).setPayload(ByteBuffer.wrap(bytes))
                            .setSource(SourceInfo.newBuilder().setKind("soak").setUri(image.toString())
                                    .setSequence(tick).build())
                            .build();
                    producer.send(new ProducerRecord<>(topics.frames(), cameraId, frame), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.add(frameId);
                        } else {
                            sendFailures.computeIfAbsent(error.getClass().getSimpleName(), k -> new AtomicLong())
                                    .incrementAndGet();
                        }
                    });
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every event and dead letter at the centre, as it comes (committed ones only). */
    private void readCentral(String bootstrap, SightlineSerdes serdes) {
        var events = serdes.deserializer(DetectionEvent.class);
        var letters = serdes.deserializer(DeadLetter.class);
        var config = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.detections(), topics.deadLetters())) {
                consumer.partitionsFor(topic, Duration.ofMinutes(1))
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (reading) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.topic().equals(topics.detections())) {
                        DetectionEvent event = events.deserialize(record.topic(), record.value());
                        central.event(event.getFrameId(), event.getProcessedAt().toEpochMilli()
                                - event.getCapturedAt().toEpochMilli());
                    } else {
                        DeadLetter letter = letters.deserialize(record.topic(), record.value());
                        central.deadLetter(letter.getFrameId(), letter.getReasonCode());
                    }
                }
            }
        }
    }

    private void awaitCentral(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !central.seenAll(acknowledged)) {
            Thread.sleep(1000);
        }
    }

    /** The events the edge made by now, and whether each reached the centre. */
    private SoakReport.EdgeCheck checkEdge(String edgeBootstrap, SightlineSerdes edgeSerdes, String centralBootstrap,
            SightlineSerdes serdes) throws InterruptedException {
        Set<String> made = countEventIds(edgeBootstrap, topics.detections(), edgeSerdes).keySet();
        String remote = SITE + "." + topics.detections();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, Integer> arrived = Map.of();
        while (System.nanoTime() < deadline) {
            arrived = countEventIds(centralBootstrap, remote, serdes);
            if (arrived.keySet().containsAll(made)) {
                break;
            }
            Thread.sleep(2000);
        }
        Set<String> missing = new TreeSet<>(made);
        missing.removeAll(arrived.keySet());
        int duplicates = arrived.values().stream().mapToInt(count -> count - 1).sum();
        return new SoakReport.EdgeCheck(made.size(), missing.size(), duplicates);
    }

    /** Event ids in a topic, read to its end now, and how many times each appears. */
    private Map<String, Integer> countEventIds(String bootstrap, String topic, SightlineSerdes serdes) {
        var config = Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        Map<String, Integer> counts = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofMinutes(1)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            var events = serdes.deserializer(DetectionEvent.class);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    counts.merge(events.deserialize(topic, record.value()).getEventId(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private void sample() {
        while (sampling) {
            for (Part part : parts.values()) {
                Process process = part.process;
                if (process == null || !process.isAlive()) {
                    continue;
                }
                try {
                    var matcher = RSS.matcher(Files.readString(Path.of("/proc", String.valueOf(process.pid()), "status")));
                    if (matcher.find()) {
                        synchronized (rss) {
                            rss.add(new SoakReport.RssSample(part.name, elapsed(), Long.parseLong(matcher.group(1)) / 1024));
                        }
                    }
                } catch (IOException gone) {
                    // exited between the check and the read
                }
            }
            try {
                Thread.sleep(SAMPLE_EVERY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private void sleepUntil(Duration at) throws InterruptedException {
        long wait = at.minus(elapsed()).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private void say(String format, Object... args) {
        long seconds = elapsed().toSeconds();
        out.printf("[%02d:%02d] %s%n", seconds / 60, seconds % 60, String.format(Locale.ROOT, format, args));
        out.flush();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
