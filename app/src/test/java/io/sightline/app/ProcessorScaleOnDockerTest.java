package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.sightline.schemas.ConfluentAvroDeserializer;
import io.sightline.schemas.SchemaRegistryClient;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The deployment's "--scale processor=2" on a real Docker engine: `sightline broker` (Kafka and the registry) and two
 * `sightline process` instances with one application id, each in its own container from the locally built runtime
 * image (docker/Dockerfile.local), talking over a container network by name. Frames are ingested from the host
 * through the broker's external listener. Every camera's events arrive with the faces of its image (Solvay 29,
 * tf-mtcnn-test 6), both instances own frames partitions, and both processed frames (their metrics say so). A
 * dashboard container answers {@code /api/events?camera=} for every camera, whichever processor owned it.
 *
 * <p>Without a Docker engine, or without the base image local/debian:bookworm (built by scripts/docker-engine), the test is
 * skipped with the reason; the same two-instance scenario on the in-process broker is {@link ProcessorKillTest}.
 */
class ProcessorScaleOnDockerTest {

    private static final String BASE_IMAGE = "local/debian:bookworm";
    private static final String APPLICATION_ID = "scaled";
    private static final int PARTITIONS = 4;
    private static final int FRAMES_PER_CAMERA = 2;
    private static final int KAFKA_PORT = 19092;
    private static final int REGISTRY_PORT = 8081;
    private static final int METRICS_PORT = 9400;
    private static final int DASHBOARD_PORT = 8090;
    private static final Map<String, Integer> FACES = Map.of("solvay-1927.jpg", 29, "tf-mtcnn-test.jpg", 6);

    @TempDir
    Path tmp;

    private final Map<String, GenericContainer<?>> containers = new LinkedHashMap<>();
    private Network network;

    /**
     * Per test, so surefire reports the test itself as skipped, with the reason, on a machine without Docker. Where
     * {@code SIGHTLINE_REQUIRE_DOCKER=true} (CI sets it once its engine and base image are up) a missing engine or
     * image fails the test instead: there a skip would hide a broken setup.
     */
    @BeforeEach
    void requireDocker() {
        String fallback = "; the same two-instance run on the in-process broker is ProcessorKillTest";
        needDocker(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine reachable (start dockerd, or run scripts/docker-engine as root)" + fallback);
        boolean baseImage = true;
        try {
            DockerClientFactory.instance().client().inspectImageCmd(BASE_IMAGE).exec();
        } catch (NotFoundException e) {
            baseImage = false;
        }
        needDocker(baseImage, "base image " + BASE_IMAGE + " absent (no image can be pulled here: scripts/docker-engine "
                + "builds it with debootstrap)" + fallback);
    }

    private static void needDocker(boolean present, String reason) {
        if (Boolean.parseBoolean(System.getenv("SIGHTLINE_REQUIRE_DOCKER"))) {
            assertThat(present).as("SIGHTLINE_REQUIRE_DOCKER=true but " + reason).isTrue();
        }
        assumeTrue(present, reason);
    }

    /** Keeps each container's output in target/docker-logs (the containers are removed when stopped). */
    @AfterEach
    void stopContainers() throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "docker-logs"));
        for (var named : containers.entrySet()) {
            if (named.getValue().getContainerId() != null) {
                Files.writeString(logs.resolve(named.getKey() + ".log"), named.getValue().getLogs());
            }
            named.getValue().stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void twoProcessorContainersShareTheCamerasAndFindEveryFace() throws Exception {
        String image = new ImageFromDockerfile("sightline-test-runtime", false)
                .withFileFromPath("Dockerfile", Path.of("..", "docker", "Dockerfile.local").toAbsolutePath())
                .get();
        network = Network.newNetwork();
        int kafkaHostPort = freePort();
        int registryHostPort = freePort();

        var broker = runtime(image, "broker", "-Xmx512m", "broker", "--bind", "0.0.0.0",
                "--port", Integer.toString(KAFKA_PORT), "--advertised-host", "broker",
                "--external-listener", "127.0.0.1:" + kafkaHostPort,
                "--registry-port", Integer.toString(REGISTRY_PORT), "--partitions", Integer.toString(PARTITIONS));
        publish(broker, Map.of(kafkaHostPort, kafkaHostPort, REGISTRY_PORT, registryHostPort));
        broker.waitingFor(Wait.forLogMessage("(?s).*started in \\d+ ms.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        broker.start();

        Map<String, Integer> metricsPorts = new LinkedHashMap<>();
        List<GenericContainer<?>> processors = new ArrayList<>();
        for (String name : List.of("processor-1", "processor-2")) {
            var processor = runtime(image, name, "-Xmx1g", "process",
                    "--bootstrap-servers", "broker:" + KAFKA_PORT, "--registry-url", "http://broker:" + REGISTRY_PORT,
                    "--application-id", APPLICATION_ID, "--threads", "1", "--startup-timeout", "60",
                    "--metrics-port", Integer.toString(METRICS_PORT), "--metrics-bind", "0.0.0.0", "--assets", "/assets");
            int metricsHostPort = freePort();
            publish(processor, Map.of(METRICS_PORT, metricsHostPort));
            processor.waitingFor(Wait.forLogMessage("(?s).*Processing .* thread.*", 1)
                    .withStartupTimeout(Duration.ofMinutes(3)));
            metricsPorts.put(name, metricsHostPort);
            processors.add(processor);
        }
        int dashboardHostPort = freePort();
        var dashboard = runtime(image, "dashboard", "-Xmx512m", "dashboard",
                "--bootstrap-servers", "broker:" + KAFKA_PORT, "--registry-url", "http://broker:" + REGISTRY_PORT,
                "--bind", "0.0.0.0", "--port", Integer.toString(DASHBOARD_PORT),
                "--processor-application-id", APPLICATION_ID, "--startup-timeout", "60");
        publish(dashboard, Map.of(DASHBOARD_PORT, dashboardHostPort));
        dashboard.waitingFor(Wait.forLogMessage("(?s).*Dashboard at .*", 1).withStartupTimeout(Duration.ofMinutes(3)));
        List<GenericContainer<?>> peers = new ArrayList<>(processors);
        peers.add(dashboard);
        peers.parallelStream().forEach(GenericContainer::start);

        String bootstrap = "127.0.0.1:" + kafkaHostPort;
        String registryUrl = "http://127.0.0.1:" + registryHostPort;
        Topics topics = Topics.withPrefix(Topics.DEFAULT_PREFIX);
        Map<String, Integer> owners = awaitBothOwnPartitions(bootstrap, topics.frames());

        Map<String, Integer> expected = new TreeMap<>();
        Path frames = framesOnePerPartition(expected);
        CommandRun ingest = CommandRun.of("ingest", frames.toString(), "--bootstrap-servers", bootstrap,
                "--registry-url", registryUrl);
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();

        int total = expected.size() * FRAMES_PER_CAMERA;
        Map<String, List<Integer>> faces = awaitEvents(bootstrap, registryUrl, topics, total, Duration.ofMinutes(2),
                processors);
        Map<String, List<Integer>> wanted = new TreeMap<>();
        expected.forEach((camera, count) -> wanted.put(camera, Collections.nCopies(FRAMES_PER_CAMERA, count)));
        assertThat(faces).as("faces per event, per camera").isEqualTo(wanted);

        Map<String, List<Integer>> answered = new TreeMap<>();
        for (String camera : expected.keySet()) {
            answered.put(camera, dashboardFaces(dashboardHostPort, camera));
        }
        assertThat(answered).as("faces per event from the dashboard's /api/events?camera=").isEqualTo(wanted);

        Map<String, Double> framesIn = new LinkedHashMap<>();
        metricsPorts.forEach((name, port) -> framesIn.put(name, framesIn(port)));
        assertThat(owners).as("frames partitions owned per instance").hasSize(2).allSatisfy((member, count) ->
                assertThat(count).isPositive());
        assertThat(framesIn).as("frames each processor container took in").allSatisfy((name, count) ->
                assertThat(count).isPositive());
        assertThat(framesIn.values().stream().mapToDouble(Double::doubleValue).sum()).as("frames in, both together")
                .isEqualTo(total);
    }

    /** A container of the runtime image running the launcher on the host's JDK and the build's classpath. */
    private GenericContainer<?> runtime(String image, String name, String heap, String... args) {
        String javaHome = realPath(Path.of(System.getProperty("java.home")));
        List<String> command = new ArrayList<>(List.of(javaHome + "/bin/java", heap));
        Path javacppCache = Path.of(System.getProperty("user.home"), ".javacpp", "cache");
        var container = new GenericContainer<>(image)
                .withNetwork(network)
                .withNetworkAliases(name)
                .withFileSystemBind(CommandRun.assets().toString(), "/assets", BindMode.READ_ONLY)
                .withFileSystemBind(javaHome, javaHome, BindMode.READ_ONLY);
        Path debianJavaConf = Path.of("/etc/java-" + Runtime.version().feature() + "-openjdk");
        if (Files.isDirectory(debianJavaConf)) {
            container.withFileSystemBind(debianJavaConf.toString(), debianJavaConf.toString(), BindMode.READ_ONLY);
        }
        if (hasTensorFlow(javacppCache)) {
            // TensorFlow's native library as this build's tests already unpacked it (else each container unpacks ~650 MB).
            container.withFileSystemBind(javacppCache.toString(), "/javacpp-cache", BindMode.READ_ONLY);
            command.add("-Dorg.bytedeco.javacpp.cachedir=/javacpp-cache");
        }
        classpathRoots().forEach(root -> container.withFileSystemBind(root, root, BindMode.READ_ONLY));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Sightline.class.getName()));
        command.addAll(List.of(args));
        container.withCommand(command.toArray(String[]::new));
        containers.put(name, container);
        return container;
    }

    /** Whether TensorFlow's native library is unpacked there (a read-only cache without it would fail to load). */
    private static boolean hasTensorFlow(Path javacppCache) {
        try (var entries = Files.list(javacppCache)) {
            return entries.anyMatch(entry -> entry.getFileName().toString().startsWith("tensorflow-core-native"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Publishes container ports on the host's loopback only: {@code containerPort -> hostPort}. */
    private static void publish(GenericContainer<?> container, Map<Integer, Integer> ports) {
        container.withCreateContainerCmdModifier((CreateContainerCmd cmd) -> {
            Ports bindings = new Ports();
            List<ExposedPort> exposed = new ArrayList<>();
            ports.forEach((containerPort, hostPort) -> {
                ExposedPort port = ExposedPort.tcp(containerPort);
                exposed.add(port);
                bindings.bind(port, Ports.Binding.bindIpAndPort("127.0.0.1", hostPort));
            });
            cmd.withExposedPorts(exposed);
            cmd.getHostConfig().withPortBindings(bindings);
        });
    }

    /**
     * The folders to mount so that every classpath entry exists at the same path in the container: the project (its
     * modules' classes and jars) and the common folder of the rest (the local Maven repository).
     */
    private static Set<String> classpathRoots() {
        Path project = Path.of("").toAbsolutePath().getParent();
        Set<String> roots = new LinkedHashSet<>(List.of(project.toString()));
        Path common = null;
        List<Path> others = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (!path.startsWith(project)) {
                others.add(path);
                common = common == null ? path.getParent() : commonAncestor(common, path);
            }
        }
        if (common != null && common.getNameCount() >= 2) {
            roots.add(common.toString());
        } else {
            others.forEach(path -> roots.add(path.getParent().toString()));
        }
        return roots;
    }

    private static Path commonAncestor(Path a, Path b) {
        Path ancestor = a;
        while (ancestor != null && !b.startsWith(ancestor)) {
            ancestor = ancestor.getParent();
        }
        return ancestor == null ? Path.of("/") : ancestor;
    }

    /**
     * One camera per frames partition (named so the key hashes there), alternating the two sample images; fills in
     * the faces each camera's frames must show.
     */
    private Path framesOnePerPartition(Map<String, Integer> expected) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("frames"));
        List<String> images = List.of("solvay-1927.jpg", "tf-mtcnn-test.jpg");
        Map<Integer, String> cameraOf = new TreeMap<>();
        for (int i = 0; cameraOf.size() < PARTITIONS; i++) {
            String camera = "camera-" + i;
            cameraOf.putIfAbsent(partitionOf(camera), camera);
        }
        int n = 0;
        for (String camera : cameraOf.values()) {
            String imageName = images.get(n++ % images.size());
            Path dir = Files.createDirectories(root.resolve(camera));
            for (int f = 0; f < FRAMES_PER_CAMERA; f++) {
                Files.copy(CommandRun.assets().resolve("images").resolve(imageName),
                        dir.resolve(String.format("frame-%03d.jpg", f)));
            }
            expected.put(camera, FACES.get(imageName));
        }
        return root;
    }

    /** Kafka's default partitioner for a string key. */
    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** Waits until the application's group has two members that each own frames partitions; their counts. */
    private static Map<String, Integer> awaitBothOwnPartitions(String bootstrap, String framesTopic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, Integer> owned = Map.of();
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                var group = admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get().get(APPLICATION_ID);
                owned = new TreeMap<>();
                for (MemberDescription member : group.members()) {
                    int count = (int) member.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(framesTopic)).count();
                    owned.put(member.host() + "/" + member.consumerId(), count);
                }
                if (owned.size() == 2 && owned.values().stream().allMatch(count -> count > 0)) {
                    return owned;
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the two processors did not both own frames partitions within 90 s: " + owned);
    }

    /** Face counts of the detection events per camera, once {@code total} have arrived. */
    private static Map<String, List<Integer>> awaitEvents(String bootstrap, String registryUrl, Topics topics,
            int total, Duration timeout, List<GenericContainer<?>> processors) {
        var events = new ConfluentAvroDeserializer<>(SchemaRegistryClient.forUrls(registryUrl), DetectionEvent.class);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "scale-test-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        Map<String, List<Integer>> faces = new TreeMap<>();
        int seen = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.detections()));
            while (seen < total && System.nanoTime() < deadline) {
                for (GenericContainer<?> processor : processors) {
                    assertThat(processor.isRunning()).as("processor container running; its output:%n%s",
                            processor.getLogs()).isTrue();
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    DetectionEvent event = events.deserialize(record.topic(), record.value());
                    faces.computeIfAbsent(event.getCameraId(), camera -> new ArrayList<>())
                            .add(event.getFaces().size());
                    seen++;
                }
            }
        }
        assertThat(seen).as("detection events within " + timeout.toSeconds() + " s: " + faces).isEqualTo(total);
        return faces;
    }

    /**
     * The faces of each event {@code /api/events?camera=} answers once it has every frame of the camera (it answers
     * 503 while its stores move, and may lag the events topic a moment).
     */
    private static List<Integer> dashboardFaces(int hostPort, String camera) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/api/events?camera=" + camera))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                List<Integer> faces = new ArrayList<>();
                new ObjectMapper().readTree(response.body()).forEach(event -> faces.add(event.get("faces").size()));
                if (faces.size() == FRAMES_PER_CAMERA) {
                    return faces;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the dashboard did not answer every event of " + camera + " within 60 s: " + last);
    }

    /** {@code sightline_processor_frames_in_total} from a processor's Prometheus endpoint, summed over its labels. */
    private static double framesIn(int hostPort) {
        try {
            String body = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines()
                    .filter(line -> line.startsWith("sightline_processor_frames_in_total"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("metrics of the processor on port " + hostPort + ": " + e, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static String realPath(Path path) {
        try {
            return path.toRealPath().toString();
        } catch (IOException e) {
            return path.toAbsolutePath().toString();
        }
    }
}
