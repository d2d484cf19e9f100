package io.sightline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.schemas.avro.DetectionEvent;
import io.sightline.schemas.avro.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records we write must be readable by any consumer that speaks the Confluent wire format and registry API. The
 * reference consumer here is Confluent's official JS client (@confluentinc/schemaregistry), installed by npm ci
 * during the Maven build, reading through our embedded registry over HTTP.
 */
class ConfluentJsInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NODE_TIMEOUT_SECONDS = 60;

    private static EmbeddedSchemaRegistry registry;
    private static SchemaRegistryClient client;
    private static Path jsDir;

    @TempDir
    Path temp;

    /** A missing prerequisite fails the tests with its name: interop is part of the contract, never skipped. */
    @BeforeAll
    static void startRegistryOnceTheJsClientCanRun() {
        String missing = missingPrerequisite();
        if (missing != null) {
            throw new AssertionError(missing);
        }
        registry = EmbeddedSchemaRegistry.start(0);
        client = new SchemaRegistryClient(List.of(registry.url()));
    }

    private static String missingPrerequisite() {
        String dir = System.getProperty("sightline.js.dir");
        if (dir == null) {
            return "sightline.js.dir is not set: run through Maven, which installs the JS client";
        }
        jsDir = Path.of(dir);
        if (!nodeAvailable()) {
            return "node is not installed: cannot run Confluent's JS client";
        }
        if (!Files.isDirectory(jsDir.resolve("node_modules/@confluentinc/schemaregistry"))) {
            return "@confluentinc/schemaregistry is not installed in " + jsDir + " (npm ci did not run)";
        }
        return null;
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void confluentJsClientDecodesOurDetectionEvent() throws Exception {
        DetectionEvent event = SampleRecords.detectionEvent();
        byte[] bytes = SightlineSerdes.value(DetectionEvent.class, client).serializer()
                .serialize("sightline.detections", event);

        JsonNode decoded = decodeWithConfluentJs("sightline.detections", bytes);

        assertThat(decoded.get("eventId").asText()).isEqualTo("evt-7f3a");
        assertThat(decoded.get("cameraId").asText()).isEqualTo("cam-lobby");
        assertThat(decoded.get("frameId").asText()).isEqualTo("frame-000042");
        assertThat(decoded.get("capturedAt").asLong()).isEqualTo(SampleRecords.CAPTURED_AT.toEpochMilli());
        assertThat(decoded.get("processedAt").asLong()).isEqualTo(SampleRecords.CAPTURED_AT.toEpochMilli() + 187);
        assertThat(decoded.get("imageWidth").asInt()).isEqualTo(960);
        assertThat(decoded.get("imageHeight").asInt()).isEqualTo(661);
        JsonNode face = decoded.get("faces").get(0);
        assertThat(decoded.get("faces")).hasSize(1);
        assertThat(face.at("/box/x1").asDouble()).isEqualTo(101.5);
        assertThat(face.at("/box/y1").asDouble()).isEqualTo(40.25);
        assertThat(face.at("/box/x2").asDouble()).isEqualTo(150.75);
        assertThat(face.at("/box/y2").asDouble()).isEqualTo(110.0);
        assertThat(face.get("score").asDouble()).isCloseTo(0.998, within(1e-6));
        assertThat(face.get("landmarks")).hasSize(5);
        assertThat(face.at("/landmarks/2/x").asDouble()).isEqualTo(127.25);
        assertThat(face.at("/landmarks/2/y").asDouble()).isEqualTo(80.0);
        assertThat(decoded.at("/model/name").asText()).isEqualTo("mtcnn");
        assertThat(decoded.at("/model/sha256").asText())
                .isEqualTo("f40d41e1d4d3aea5767078c1b1fc0666e354835b3956ffb6fcc835c981e58fb2");
        assertThat(decoded.at("/udf/name").asText()).isEqualTo("face-detect");
        assertThat(decoded.at("/udf/version").asText()).isEqualTo("0.1.0");
        assertThat(decoded.at("/timings/inferenceMs").asDouble()).isEqualTo(176.25);
        assertThat(decoded.at("/timings/totalMs").asDouble()).isEqualTo(187.0);
    }

    @Test
    void confluentJsClientDecodesOurFrameWithUnionsMapsEnumsAndBytes() throws Exception {
        byte[] bytes = SightlineSerdes.value(Frame.class, client).serializer()
                .serialize("sightline.frames", SampleRecords.frame());

        JsonNode decoded = decodeWithConfluentJs("sightline.frames", bytes);

        assertThat(decoded.get("encoding").asText()).isEqualTo("JPEG");
        assertThat(Base64.getDecoder().decode(decoded.get("payload").asText()))
                .containsExactly(0xFF, 0xD8, 0xFF, 0x00, 0x7F);
        assertThat(decoded.at("/sensors/temperatureC").asDouble()).isEqualTo(21.5);
        assertThat(decoded.at("/sensors/gps/latitude").asDouble()).isEqualTo(50.8503);
        assertThat(decoded.at("/sensors/gps/altitudeM").asDouble()).isEqualTo(13.0);
        assertThat(decoded.at("/sensors/motion").asBoolean()).isTrue();
        assertThat(decoded.at("/sensors/extra/luxLevel").asDouble()).isEqualTo(320.0);
        assertThat(decoded.at("/source/kind").asText()).isEqualTo("directory");
        assertThat(decoded.at("/source/sequence").asLong()).isEqualTo(42);
    }

    private JsonNode decodeWithConfluentJs(String topic, byte[] bytes) throws IOException, InterruptedException {
        Path record = Files.write(temp.resolve("record.bin"), bytes);
        Path stderr = temp.resolve("stderr.txt");
        Process node = new ProcessBuilder("node", "decode.js", registry.url().toString(), topic, record.toString())
                .directory(jsDir.toFile())
                .redirectError(stderr.toFile())
                .start();
        byte[] stdout = node.getInputStream().readAllBytes();
        boolean finished = node.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        assertThat(finished).as("node decode.js finished within %d s", NODE_TIMEOUT_SECONDS).isTrue();
        assertThat(node.exitValue())
                .as("node decode.js exit code; stderr:%n%s", Files.readString(stderr))
                .isZero();
        return JSON.readTree(new String(stdout, StandardCharsets.UTF_8));
    }

    private static boolean nodeAvailable() {
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
