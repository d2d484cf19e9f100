package io.sightline.cluster;

import io.sightline.schemas.FrameLimits;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to run the in-process single-node KRaft broker.
 *
 * @param dataDir         where the broker keeps its logs and metadata; {@code null} means a fresh temporary
 *                        directory that is deleted on close. An existing formatted directory is reused as is.
 * @param port            client (PLAINTEXT) port on 127.0.0.1; 0 picks a free one
 * @param controllerPort  KRaft controller port on 127.0.0.1; 0 picks a free one
 * @param maxMessageBytes largest record batch the broker accepts (frames are several MB)
 * @param overrides       broker properties applied last, verbatim (they win over everything computed here)
 */
public record EmbeddedKafkaConfig(
        Path dataDir, int port, int controllerPort, int maxMessageBytes, Map<String, String> overrides) {

    /** The contract's default record limit; clients read the effective one back from the topics. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = FrameLimits.DEFAULT_MAX_RECORD_BYTES;

    public EmbeddedKafkaConfig {
        requirePort("port", port);
        requirePort("controllerPort", controllerPort);
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, got " + maxMessageBytes);
        }
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    /** Temporary data directory, free ports, 16 MiB messages, no overrides. */
    public static EmbeddedKafkaConfig defaults() {
        return new EmbeddedKafkaConfig(null, 0, 0, DEFAULT_MAX_MESSAGE_BYTES, Map.of());
    }

    public EmbeddedKafkaConfig withDataDir(Path newDataDir) {
        return new EmbeddedKafkaConfig(newDataDir, port, controllerPort, maxMessageBytes, overrides);
    }

    public EmbeddedKafkaConfig withPorts(int newPort, int newControllerPort) {
        return new EmbeddedKafkaConfig(dataDir, newPort, newControllerPort, maxMessageBytes, overrides);
    }

    private static void requirePort(String name, int value) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException(name + " must be 0..65535, got " + value);
        }
    }
}
