package io.sightline.schemas;

import io.sightline.access.HttpAuth;
import io.sightline.access.TlsKeystore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link EmbeddedSchemaRegistry} runs: where it listens, and the Kafka cluster whose {@code _schemas} topic
 * holds its state (none: state in memory only, for tests).
 *
 * @param bindAddress      host name or address to listen on, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port             HTTP port; 0 picks a free one
 * @param bootstrapServers Kafka cluster holding the {@code _schemas} topic, or null to keep state in memory
 * @param kafkaTimeout     how long start-up and each journal read or write may wait for Kafka
 * @param auth             who may read and who may write ({@link HttpAuth#open()}: anyone may do anything)
 * @param tls              serve HTTPS with this keystore's key and certificate; empty: plain HTTP
 */
public record RegistryConfig(String bindAddress, int port, String bootstrapServers, Duration kafkaTimeout,
        HttpAuth auth, Optional<TlsKeystore> tls) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final Duration DEFAULT_KAFKA_TIMEOUT = Duration.ofSeconds(15);

    public RegistryConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(kafkaTimeout, "kafkaTimeout");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("registry port must be between 0 and 65535, got " + port);
        }
        if (bootstrapServers != null && bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be blank");
        }
        if (kafkaTimeout.isNegative() || kafkaTimeout.isZero()) {
            throw new IllegalArgumentException("Kafka timeout must be positive, got " + kafkaTimeout);
        }
    }

    /** State in the {@code _schemas} topic of this cluster; loopback, any free port, 15 s Kafka timeout. */
    public static RegistryConfig onKafka(String bootstrapServers) {
        return new RegistryConfig(LOOPBACK, 0, Objects.requireNonNull(bootstrapServers, "bootstrapServers"),
                DEFAULT_KAFKA_TIMEOUT, HttpAuth.open(),
                Optional.empty());
    }

    /** State in memory, lost at close; loopback. */
    public static RegistryConfig inMemory(int port) {
        return new RegistryConfig(LOOPBACK, port, null, DEFAULT_KAFKA_TIMEOUT, HttpAuth.open(),
                Optional.empty());
    }

    public RegistryConfig withPort(int port) {
        return new RegistryConfig(bindAddress, port, bootstrapServers, kafkaTimeout, auth, tls);
    }

    public RegistryConfig withBindAddress(String bindAddress) {
        return new RegistryConfig(bindAddress, port, bootstrapServers, kafkaTimeout, auth, tls);
    }

    /** Behind a login, and over TLS when a keystore is given. */
    public RegistryConfig withAccess(HttpAuth auth, Optional<TlsKeystore> tls) {
        return new RegistryConfig(bindAddress, port, bootstrapServers, kafkaTimeout, auth, tls);
    }

    public RegistryConfig withKafkaTimeout(Duration kafkaTimeout) {
        return new RegistryConfig(bindAddress, port, bootstrapServers, kafkaTimeout, auth, tls);
    }
}
