package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.cluster.EmbeddedKafkaConfig;
import io.sightline.cluster.LocalCluster;
import io.sightline.ingest.TestVideos;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DetectionEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `sightline edge` from the command line: mistakes fail before anything starts; a short run forwards and reports. */
class EdgeCommandTest {

    @TempDir
    Path tmp;

    @Test
    void badOptionsFailAtOnceWithWhatToFix() {
        CommandRun dotted = CommandRun.of("edge", "--site", "lab.1", "--central-bootstrap", "127.0.0.1:9092",
                "--central-registry", "http://127.0.0.1:8081");
        assertThat(dotted.exitCode()).isEqualTo(2);
        assertThat(dotted.err().strip()).startsWith("sightline edge: --site must be").contains("'lab.1'");

        CommandRun central = CommandRun.of("edge", "--site", "central", "--central-bootstrap", "127.0.0.1:9092",
                "--central-registry", "http://127.0.0.1:8081");
        assertThat(central.exitCode()).isEqualTo(2);

        CommandRun noPort = CommandRun.of("edge", "--site", "lab", "--central-bootstrap", "central-host",
                "--central-registry", "http://127.0.0.1:8081");
        assertThat(noPort.exitCode()).isEqualTo(2);
        assertThat(noPort.err().strip()).isEqualTo(
                "sightline edge: --central-bootstrap must be HOST:PORT[,HOST:PORT...], got 'central-host'");

        CommandRun noInput = CommandRun.of("edge", "--site", "lab", "--central-bootstrap", "127.0.0.1:9092",
                "--central-registry", "http://127.0.0.1:8081", "--input", tmp.resolve("missing").toString());
        assertThat(noInput.exitCode()).isEqualTo(2);
        assertThat(noInput.err()).contains("--input").contains("is not a folder of images");

        CommandRun both = CommandRun.of("edge", "--site", "lab", "--central-bootstrap", "127.0.0.1:9092",
                "--central-registry", "http://127.0.0.1:8081", "--input", tmp.toString(), "--cameras",
                tmp.resolve("cameras.yaml").toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--input and --cameras both name the cameras");
    }

    @Test
    void aMistakeInTheCameraListFailsAtOnceNamingTheFileAndTheField() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("typo.yaml"), """
                cameras:
                  - {id: door, source: "rtsp://10.0.0.5/stream1", fsp: 5}
                """);

        CommandRun run = CommandRun.of("edge", "--site", "lab", "--central-bootstrap", "127.0.0.1:9092",
                "--central-registry", "http://127.0.0.1:8081", "--cameras", yaml.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(yaml + ": cameras[0].fsp: unknown field");
    }

    @Test
    void aCameraListRunsEveryCameraAndAnUnreachableOneDoesNotStopTheOthers() throws Exception {
        Path assets = CommandRun.assets();
        TestVideos.write(tmp.resolve("porch.mp4"), assets.resolve("images/tf-mtcnn-test.jpg"), 5, 6, "mp4");
        // Recorded a year ago (the file's time is its capture time): forwarded all the same, and flagged.
        Files.setLastModifiedTime(tmp.resolve("porch.mp4"), FileTime.from(Instant.now().minus(Duration.ofDays(365))));
        Path yaml = Files.writeString(tmp.resolve("cameras.yaml"), """
                cameras:
                  - {id: porch, source: porch.mp4, fps: 2}
                  - {id: gone, source: "http://127.0.0.1:1/stream"}
                """);
        Topics topics = Topics.withPrefix(Topics.DEFAULT_PREFIX);
        try (LocalCluster central = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, topics, 1)) {
            CommandRun run = CommandRun.of("edge", "--site", "list", "--central-bootstrap",
                    central.bootstrapServers(), "--central-registry", central.registryUrl().toString(), "--cameras",
                    yaml.toString(), "--port", "0", "--registry-port", "0", "--duration", "45", "--status-interval",
                    "0", "--json", "--assets", assets.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode summary = new ObjectMapper().readTree(run.out());
            // 6 s of video at --fps 2 from the list: 12 frames from porch; gone keeps retrying meanwhile.
            assertThat(summary.get("framesIn").asLong()).isEqualTo(12);
            assertThat(summary.get("events").asLong()).isEqualTo(12);
            var events = SightlineSerdes.forUrls(central.registryUrl().toString()).deserializer(DetectionEvent.class);
            List<DetectionEvent> atCentre = EdgeModeTest.readAll(central.bootstrapServers(), "list.sightline.detections")
                    .stream().map(record -> events.deserialize("list.sightline.detections", record.value())).toList();
            assertThat(atCentre).isNotEmpty().allSatisfy(event -> {
                assertThat(event.getCameraId().toString()).isEqualTo("porch");
                assertThat(event.getFaces()).hasSize(6);
                assertThat(event.getClockSkew()).as("a year behind").isCloseTo(-365L * 86_400, within(600L));
            });
            assertThat(atCentre).hasSize(12);
        }
    }

    @Test
    void aShortRunForwardsEventsThatDecodeAtTheCentreAndPrintsTheBandwidth() throws Exception {
        Path assets = CommandRun.assets();
        Path cameras = Files.createDirectories(tmp.resolve("cameras/gate"));
        Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), cameras.resolve("test.jpg"));
        Topics topics = Topics.withPrefix(Topics.DEFAULT_PREFIX);
        try (LocalCluster central = LocalCluster.start(EmbeddedKafkaConfig.defaults(), 0, topics, 1)) {
            CommandRun run = CommandRun.of("edge", "--site", "cli", "--central-bootstrap", central.bootstrapServers(),
                    "--central-registry", central.registryUrl().toString(), "--input", tmp.resolve("cameras").toString(),
                    "--fps", "2", "--port", "0", "--registry-port", "0", "--duration", "30", "--status-interval", "0",
                    "--json", "--assets", assets.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode summary = new ObjectMapper().readTree(run.out());
            System.out.println("edge summary: " + summary);
            assertThat(summary.get("site").asText()).isEqualTo("cli");
            assertThat(summary.get("framesIn").asLong()).isGreaterThan(10);
            assertThat(summary.get("events").asLong()).isGreaterThan(5);
            assertThat(summary.get("forwardedRecords").asLong()).isPositive();
            assertThat(summary.get("centralReachable").asBoolean()).isTrue();
            assertThat(summary.get("forwardedBytes").asLong()).isPositive();
            assertThat(summary.get("forwardedPercent").asDouble()).isBetween(0.01, 5.0);

            var events = SightlineSerdes.forUrls(central.registryUrl().toString()).deserializer(DetectionEvent.class);
            List<DetectionEvent> atCentre = EdgeModeTest.readAll(central.bootstrapServers(), "cli.sightline.detections")
                    .stream().map(record -> events.deserialize("cli.sightline.detections", record.value())).toList();
            // What was forwarded: the events and the track lifecycle records (the six faces' tracks started).
            int tracks = EdgeModeTest.readAll(central.bootstrapServers(), "cli.sightline.tracks").size();
            assertThat(tracks).isGreaterThanOrEqualTo(6);
            assertThat(atCentre.size() + tracks).isGreaterThanOrEqualTo((int) summary.get("forwardedRecords").asLong());
            assertThat(atCentre).allSatisfy(event -> {
                assertThat(event.getCameraId().toString()).isEqualTo("gate");
                assertThat(event.getFaces()).isNotEmpty();
            });
        }
    }
}
