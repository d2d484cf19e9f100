package io.sightline.schemas;

import com.sun.net.httpserver.HttpServer;
import io.sightline.schemas.internal.RegistryHttpHandler;
import io.sightline.schemas.internal.SchemaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Confluent-compatible schema registry in the JVM, for the single-machine setup and tests. It speaks the
 * Confluent REST API subset that serializers and deserializers use, on the loopback interface, and keeps schemas
 * in memory.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final int HANDLER_THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a registry on 127.0.0.1 at the given port, or a free one for port 0. */
    public static EmbeddedSchemaRegistry start(int port) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start schema registry on " + address + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", new RegistryHttpHandler(new SchemaStore()));
        server.start();
        return new EmbeddedSchemaRegistry(server, executor);
    }

    /** Base URL for clients, e.g. {@code http://127.0.0.1:38211}. */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        try {
            // The URI constructor brackets an IPv6 literal; string concatenation would not.
            return new URI("http", null, address.getAddress().getHostAddress(), address.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unexpected registry address " + address, e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
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
