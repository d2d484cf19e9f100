package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Confluent's official JS client ({@code @confluentinc/schemaregistry}), run with node from the npm project the
 * schemas module installs during the build ({@code schemas/src/test/js}). A missing prerequisite fails the test.
 */
final class ConfluentJsClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final Path work;
    private final Map<String, String> environment;

    private ConfluentJsClient(Path dir, Path work, Map<String, String> environment) {
        this.dir = dir;
        this.work = work;
        this.environment = Map.copyOf(environment);
    }

    /**
     * The same client sending HTTP basic credentials (USER_INFO) and trusting a PEM certificate, for a registry
     * behind a login and TLS.
     */
    ConfluentJsClient withLogin(String userInfo, Path trustedCertificatePem) {
        return new ConfluentJsClient(dir, work, Map.of("SR_USER_INFO", userInfo,
                "NODE_EXTRA_CA_CERTS", trustedCertificatePem.toString()));
    }

    /** @param work a scratch directory for record files */
    static ConfluentJsClient locate(Path work) {
        String dir = System.getProperty("sightline.js.dir");
        assertThat(dir).as("system property sightline.js.dir (set by Maven: run through `mvn verify`)").isNotNull();
        Path jsDir = Path.of(dir);
        assertThat(jsDir.resolve("node_modules/@confluentinc/schemaregistry"))
                .as("@confluentinc/schemaregistry installed by npm ci in %s (needs node and npm; "
                        + "build the schemas module first)", jsDir)
                .isDirectory();
        return new ConfluentJsClient(jsDir, work, Map.of());
    }

    /** Decodes a Confluent wire-format value as the JS AvroDeserializer does; bytes fields come back base64. */
    JsonNode decode(URI registry, String topic, byte[] value) throws IOException, InterruptedException {
        Path record = Files.write(work.resolve("in-" + System.nanoTime() + ".bin"), value);
        return run("decode.js", registry.toString(), topic, record.toString());
    }

    /** Registers a schema, fetches it back by id and the latest version, and tests compatibility. */
    JsonNode register(URI registry, String subject, String schema) throws IOException, InterruptedException {
        Path file = Files.writeString(work.resolve("schema-" + System.nanoTime() + ".avsc"), schema);
        return run("client.js", "register", registry.toString(), subject, file.toString());
    }

    /** Serializes a JSON record with the latest schema of {@code topic-value}; returns the wire-format bytes. */
    byte[] produce(URI registry, String topic, String recordJson) throws IOException, InterruptedException {
        Path record = Files.writeString(work.resolve("record-" + System.nanoTime() + ".json"), recordJson);
        Path out = work.resolve("out-" + System.nanoTime() + ".bin");
        run("client.js", "produce", registry.toString(), topic, record.toString(), out.toString());
        return Files.readAllBytes(out);
    }

    private JsonNode run(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(work, "node-", ".err");
        Process node;
        try {
            var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            node = builder.start();
        } catch (IOException e) {
            throw new AssertionError("node is not installed (needed to run Confluent's JS client): " + e.getMessage());
        }
        byte[] stdout = node.getInputStream().readAllBytes();
        boolean finished = node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        assertThat(finished).as("node %s finished within %d s", script, TIMEOUT_SECONDS).isTrue();
        assertThat(node.exitValue()).as("node %s exit code; stderr:%n%s", command, Files.readString(stderr)).isZero();
        return JSON.readTree(new String(stdout, StandardCharsets.UTF_8));
    }
}
