package io.sightline.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where `sightline broker` listens for clients and what it tells them, for a broker in a container: the client port on
 * {@code bind}, advertised as {@code advertisedHost}, and optionally a second listener for clients outside the
 * container network. The KRaft controller stays on loopback.
 *
 * @param externalHost {@code null} without an external listener
 */
public record Listeners(String bind, String advertisedHost, String externalHost, int externalPort) {

    public static final String LOOPBACK = "127.0.0.1";

    /** @param external {@code HOST:PORT} or {@code null} */
    public static Listeners parse(String bind, String advertisedHost, String external) {
        String host = advertisedHost == null ? LOOPBACK : advertisedHost;
        if (external == null) {
            return new Listeners(bind, host, null, 0);
        }
        int colon = external.lastIndexOf(':');
        int port = colon > 0 ? parsePort(external.substring(colon + 1)) : -1;
        if (port < 1) {
            throw new IllegalArgumentException(
                    "--external-listener must be HOST:PORT with PORT 1..65535, e.g. 127.0.0.1:29092, got " + external);
        }
        return new Listeners(bind, host, external.substring(0, colon), port);
    }

    /** Loopback only, as the broker runs without options. */
    public boolean isDefault() {
        return bind.equals(LOOPBACK) && advertisedHost.equals(LOOPBACK) && externalHost == null;
    }

    /** The config with these listeners; ports left 0 are chosen here, since the listener lines must name them. */
    public EmbeddedKafkaConfig applyTo(EmbeddedKafkaConfig config) {
        if (isDefault()) {
            return config;
        }
        int port = config.port() == 0 ? freePort() : config.port();
        int controllerPort = config.controllerPort() == 0 ? freePort() : config.controllerPort();
        if (externalHost != null && (externalPort == port || externalPort == controllerPort)) {
            throw new IllegalArgumentException("--external-listener port " + externalPort
                    + " must differ from the client port " + port + " and the controller port " + controllerPort);
        }
        String listeners = "PLAINTEXT://" + bind + ":" + port;
        String advertised = "PLAINTEXT://" + advertisedHost + ":" + port;
        String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
        if (externalHost != null) {
            listeners += ",EXTERNAL://" + bind + ":" + externalPort;
            advertised += ",EXTERNAL://" + externalHost + ":" + externalPort;
            protocols += ",EXTERNAL:PLAINTEXT";
        }
        Map<String, String> overrides = new LinkedHashMap<>(config.overrides());
        overrides.put("listeners", listeners + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
        overrides.put("advertised.listeners", advertised);
        overrides.put("listener.security.protocol.map", protocols);
        return new EmbeddedKafkaConfig(config.dataDir(), port, controllerPort, config.maxMessageBytes(), overrides);
    }

    /** What clients are told, comma-separated: the advertised client listener, then the external one. */
    public String advertised(int port) {
        return advertisedHost + ":" + port + (externalHost == null ? "" : "," + externalHost + ":" + externalPort);
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port <= 65_535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + LOOPBACK, e);
        }
    }
}
