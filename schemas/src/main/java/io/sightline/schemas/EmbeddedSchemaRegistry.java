package io.sightline.schemas;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.sightline.schemas.internal.Journal;
import io.sightline.schemas.internal.KafkaJournal;
import io.sightline.schemas.internal.MemoryJournal;
import io.sightline.schemas.internal.RegistryHttpHandler;
import io.sightline.schemas.internal.SchemaStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Confluent-compatible schema registry in the JVM. It speaks the Confluent REST API subset that
 * serializers, deserializers and ordinary tooling use, checks compatibility, and keeps its state in the compacted
 * {@code _schemas} topic in Confluent's own layout, so ids survive restarts, several instances on one cluster serve
 * the same ids, and Confluent Schema Registry or Karapace could take over the topic.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(RegistryConfig.onKafka("127.0.0.1:9092"))) {
 *     // serializers use registry.url()
 * }
 * }</pre>
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final int HANDLER_THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Journal journal;
    private final Duration startupTime;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor, Journal journal,
                                   Duration startupTime) {
        this.server = server;
        this.executor = executor;
        this.journal = journal;
        this.startupTime = startupTime;
    }

    /** Starts a registry on 127.0.0.1 at the given port (0 = any free one) that keeps its state in memory only. */
    public static EmbeddedSchemaRegistry start(int port) {
        return start(RegistryConfig.inMemory(port));
    }

    /**
     * Rebuilds the state from the {@code _schemas} topic (creating it if missing), then starts serving.
     *
     * @throws RegistryStartupException if Kafka is unreachable within the timeout or the port is taken
     */
    public static EmbeddedSchemaRegistry start(RegistryConfig config) {
        long startNanos = System.nanoTime();
        SchemaStore store = new SchemaStore();
        Journal journal = config.bootstrapServers() == null ? new MemoryJournal(store)
                : KafkaJournal.open(store, config.bootstrapServers(), config.kafkaTimeout());
        try {
            HttpServer server = server(config);
            ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads());
            server.setExecutor(executor);
            server.createContext("/", new RegistryHttpHandler(store, journal, config.auth()));
            server.start();
            Duration startupTime = Duration.ofNanos(System.nanoTime() - startNanos);
            if (config.bootstrapServers() != null) {
                LOG.info("schema registry rebuilt {} schemas from {} on {} in {} ms", store.schemaCount(),
                        KafkaJournal.TOPIC, config.bootstrapServers(), startupTime.toMillis());
            }
            return new EmbeddedSchemaRegistry(server, executor, journal, startupTime);
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw new RegistryStartupException("cannot start schema registry on " + config.bindAddress() + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
    }

    /** Base URL for clients, e.g. {@code http://127.0.0.1:38211} ({@code https} when serving TLS). */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        try {
            // The URI constructor brackets an IPv6 literal; string concatenation would not.
            String scheme = server instanceof HttpsServer ? "https" : "http";
            return new URI(scheme, null, address.getAddress().getHostAddress(), address.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unexpected registry address " + address, e);
        }
    }

    /** From the call to {@code start} until serving: for a Kafka-backed registry, mostly rebuilding its state. */
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        journal.close();
    }

    private static HttpServer server(RegistryConfig config) throws IOException {
        if (config.tls().isEmpty()) {
            return HttpServer.create(socketAddress(config), 0);
        }
        HttpsServer https = HttpsServer.create(socketAddress(config), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(config.tls().get().serverContext()));
        return https;
    }

    private static InetSocketAddress socketAddress(RegistryConfig config) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port());
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "schema-registry-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
