package io.sightline.cluster;

import io.sightline.schemas.Folders;
import io.sightline.schemas.WriteTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM on 127.0.0.1.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.defaults())) {
 *     kafka.createTopics(Map.of("sightline.frames", 4));
 *     // clients use kafka.bootstrapServers()
 * }
 * }</pre>
 *
 * Clients that send frames must raise their own limits too ({@code max.request.size} on producers).
 *
 * <p>Start-up problems (port taken, data directory unusable, broker not ready) surface as
 * {@link BrokerStartupException}. A fatal fault inside the running broker (say its disk fails) halts the JVM,
 * as Kafka does for any broker process.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LEADER_POLL = Duration.ofMillis(50);
    /** Written by formatting into every log directory. */
    private static final String META_PROPERTIES = "meta.properties";

    private final EmbeddedKafkaConfig config;
    private final boolean ownsDataDir;
    private final KafkaRaftServer server;
    private final String clusterId;
    private final Duration startupTime;
    private boolean closed;

    private EmbeddedKafka(EmbeddedKafkaConfig config, boolean ownsDataDir, KafkaRaftServer server,
                          String clusterId, Duration startupTime) {
        this.config = config;
        this.ownsDataDir = ownsDataDir;
        this.server = server;
        this.clusterId = clusterId;
        this.startupTime = startupTime;
    }

    /**
     * Formats the data directory if it is new, starts the broker and returns once a client can list topics.
     *
     * @throws BrokerStartupException if the broker cannot start or is not ready within 60 s
     */
    public static EmbeddedKafka start(EmbeddedKafkaConfig requested) {
        long startNanos = System.nanoTime();
        boolean ownsDataDir = requested.dataDir() == null;
        EmbeddedKafkaConfig config = resolve(requested);
        KafkaRaftServer server = null;
        try {
            requireFree(config.port(), "client");
            requireFree(config.controllerPort(), "controller");
            Map<String, String> props = BrokerProperties.of(config);
            if (!isFormatted(config.dataDir())) {
                formatStorage(props);
            }
            server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
            server.startup();
            String clusterId = awaitReady(bootstrapServers(config));
            Duration startupTime = Duration.ofNanos(System.nanoTime() - startNanos);
            LOG.info("Kafka broker ready at {} in {} ms", bootstrapServers(config), startupTime.toMillis());
            return new EmbeddedKafka(config, ownsDataDir, server, clusterId, startupTime);
        } catch (RuntimeException e) {
            stop(server);
            if (ownsDataDir) {
                deleteRecursively(config.dataDir());
            }
            throw e instanceof BrokerStartupException startup ? startup
                    : new BrokerStartupException("Kafka broker on " + bootstrapServers(config)
                    + " (data " + config.dataDir() + ") failed to start: " + rootCauseMessage(e), e);
        }
    }

    /** {@code 127.0.0.1:port} for the {@code bootstrap.servers} of any client. */
    public String bootstrapServers() {
        return bootstrapServers(config);
    }

    /** The configuration actually running: real data directory and ports, never 0 or null. */
    public EmbeddedKafkaConfig config() {
        return config;
    }

    public String clusterId() {
        return clusterId;
    }

    /** From the call to {@link #start} until a client could list topics, storage formatting included. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Creates each topic (replication factor 1) unless it already exists, and returns once every partition has
     * a leader, so producers and Streams see the topics at once. An existing topic is left as it is.
     */
    public void createTopics(Map<String, Integer> topicPartitions) {
        List<NewTopic> topics = topicPartitions.entrySet().stream()
                .map(topic -> new NewTopic(topic.getKey(), topic.getValue(), (short) 1).configs(WriteTime.TOPIC_CONFIG))
                .toList();
        try (Admin admin = admin(bootstrapServers(), ADMIN_TIMEOUT)) {
            admin.createTopics(topics).values().forEach((name, created) -> {
                try {
                    await(created);
                } catch (TopicExistsException alreadyThere) {
                    LOG.debug("Topic {} already exists", name);
                }
            });
            awaitLeaders(admin, topicPartitions.keySet());
        }
    }

    /**
     * Creates a compacted topic of one partition (the last record per key is kept for good), unless it exists: for
     * topics that hold state, such as UDF deployments.
     */
    public void createCompactedTopic(String name) {
        NewTopic topic = new NewTopic(name, 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = admin(bootstrapServers(), ADMIN_TIMEOUT)) {
            try {
                await(admin.createTopics(List.of(topic)).values().get(name));
            } catch (TopicExistsException alreadyThere) {
                LOG.debug("Topic {} already exists", name);
            }
            awaitLeaders(admin, List.of(name));
        }
    }

    /** Shuts the broker down, waits for it, and deletes the data directory if it was a temporary one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop(server);
        } finally {
            if (ownsDataDir) {
                deleteRecursively(config.dataDir());
            }
        }
    }

    /** Fills in the free ports and the data directory, creating it, so the result is what will run. */
    private static EmbeddedKafkaConfig resolve(EmbeddedKafkaConfig requested) {
        // Both sockets stay open while choosing so the two picks cannot coincide.
        try (ServerSocket first = new ServerSocket(0, 1, loopback());
             ServerSocket second = new ServerSocket(0, 1, loopback())) {
            int port = requested.port() == 0 ? first.getLocalPort() : requested.port();
            int controllerPort = requested.controllerPort() == 0 ? second.getLocalPort() : requested.controllerPort();
            Path dataDir = requested.dataDir() == null ? createTempDir() : createDirs(requested.dataDir());
            return new EmbeddedKafkaConfig(dataDir, port, controllerPort, requested.maxMessageBytes(),
                    requested.overrides());
        } catch (IOException e) {
            throw new BrokerStartupException("cannot find free ports on " + BrokerProperties.HOST, e);
        }
    }

    /**
     * Kafka treats a controller that cannot bind its port as a fatal fault and halts the JVM, so a taken port
     * must be caught before Kafka sees it.
     */
    private static void requireFree(int port, String role) {
        try {
            new ServerSocket(port, 1, loopback()).close();
        } catch (IOException e) {
            throw new BrokerStartupException(role + " port " + BrokerProperties.HOST + ":" + port
                    + " is not available: " + e.getMessage(), e);
        }
    }

    /** A kept data directory already belongs to a cluster; the broker itself checks it is consistent. */
    private static boolean isFormatted(Path dataDir) {
        return Files.exists(dataDir.resolve(META_PROPERTIES));
    }

    /** Writes meta.properties and the bootstrap checkpoint of a new cluster with a fresh id. */
    private static void formatStorage(Map<String, String> props) {
        Path propsFile = null;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            propsFile = Files.createTempFile("sightline-kafka-format-", ".properties");
            Properties properties = new Properties();
            properties.putAll(props);
            try (OutputStream out = Files.newOutputStream(propsFile)) {
                properties.store(out, "sightline embedded broker");
            }
            String[] args = {"format", "--config", propsFile.toString(),
                    "--cluster-id", Uuid.randomUuid().toString()};
            // The tool talks to its PrintStream; keep that off stdout and show it only when formatting fails.
            int exitCode = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
            if (exitCode != 0) {
                throw new BrokerStartupException(
                        "formatting Kafka storage failed: " + output.toString(StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new BrokerStartupException("cannot write the broker properties for formatting storage", e);
        } finally {
            Folders.deleteQuietly(propsFile);
        }
    }

    private static String awaitReady(String bootstrapServers) {
        try (Admin admin = admin(bootstrapServers, READY_TIMEOUT)) {
            String clusterId = await(admin.describeCluster().clusterId());
            await(admin.listTopics().names());
            return clusterId;
        } catch (KafkaException e) {
            throw new BrokerStartupException("Kafka broker on " + bootstrapServers + " did not answer within "
                    + READY_TIMEOUT.toSeconds() + " s: " + e.getMessage(), e);
        }
    }

    private static void awaitLeaders(Admin admin, Collection<String> topics) {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (!allPartitionsLed(admin, topics)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException(
                        "topics " + topics + " have no leader after " + ADMIN_TIMEOUT.toSeconds() + " s");
            }
            sleep(LEADER_POLL);
        }
    }

    private static boolean allPartitionsLed(Admin admin, Collection<String> topics) {
        try {
            Map<String, TopicDescription> descriptions = await(admin.describeTopics(topics).allTopicNames());
            return descriptions.values().stream()
                    .flatMap(description -> description.partitions().stream())
                    .map(TopicPartitionInfo::leader)
                    .allMatch(leader -> leader != null && !leader.isEmpty());
        } catch (UnknownTopicOrPartitionException notYetVisible) {
            return false;
        }
    }

    private static Admin admin(String bootstrapServers, Duration timeout) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000)));
    }

    /** Waits for an admin future; its own timeout ends it, and Kafka's exception comes out unwrapped. */
    private static <T> T await(KafkaFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new KafkaException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for the broker", e);
        }
    }

    private static void stop(KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
    }

    /** Kafka wraps a bind failure three times; the innermost message is the one that says what went wrong. */
    private static String rootCauseMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static String bootstrapServers(EmbeddedKafkaConfig config) {
        return BrokerProperties.HOST + ":" + config.port();
    }

    private static InetAddress loopback() throws IOException {
        return InetAddress.getByName(BrokerProperties.HOST);
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("sightline-kafka-");
        } catch (IOException e) {
            throw new BrokerStartupException("cannot create a temporary Kafka data directory", e);
        }
    }

    private static Path createDirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BrokerStartupException("cannot create the Kafka data directory " + dir, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Folders.deleteQuietly(dir)) {
            LOG.warn("Could not delete all of the Kafka data directory {}", dir);
        }
    }


    private static void sleep(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for topic leaders", e);
        }
    }
}
