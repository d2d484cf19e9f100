package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.ingest.TestVideos;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `replay archive` on the real broker: capture times kept, pace measured as ratios between runs. */
class ReplayArchiveCommandTest {

    private static final Topics TOPICS = ClusterPerClass.TOPICS;

    @RegisterExtension
    static final ClusterPerClass cluster = new ClusterPerClass();

    @TempDir
    static Path tmp;

    @Test
    void aVideoReplaysAtItsPaceFourTimesFasterWithSpeedFourAndAtOnceWithMaxSpeed() throws Exception {
        Path video = TestVideos.write(tmp.resolve("vault.mp4"), CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"),
                10, 4, "mp4");

        JsonNode original = replay(video, "vault-1", "--speed", "1");
        JsonNode fast = replay(video, "vault-4", "--speed", "4");
        JsonNode max = replay(video, "vault-max", "--max-speed");

        System.out.printf("replay archive: x1 %s s, x4 %s s, max %s s%n", original.get("seconds"),
                fast.get("seconds"), max.get("seconds"));
        assertThat(original.get("published").asInt()).isEqualTo(40);
        assertThat(original.get("seconds").asDouble()).isBetween(3.9 * 0.9, 3.9 * 1.25);
        double ratio = original.get("seconds").asDouble() / fast.get("seconds").asDouble();
        assertThat(ratio).as("x1 over x4").isBetween(3.2, 4.8);
        assertThat(max.get("seconds").asDouble()).isLessThan(fast.get("seconds").asDouble());
        for (String camera : List.of("vault-1", "vault-4", "vault-max")) {
            List<Frame> frames = framesOf(camera);
            assertThat(frames).hasSize(40);
            for (int i = 0; i < frames.size(); i++) {
                assertThat(frames.get(i).getCapturedAt()).as(camera)
                        .isEqualTo(Instant.parse("2026-11-30T08:00:00Z").plusMillis(100L * i));
            }
        }
    }

    @Test
    void aFolderReplaysWithItsFilesCaptureTimesAndTheirSpacing() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("album"));
        Instant first = Instant.parse("2026-01-01T10:00:00Z");
        for (int i = 0; i < 3; i++) {
            Path file = Files.copy(CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"), folder.resolve(i + ".png"));
            Files.setLastModifiedTime(file, FileTime.from(first.plusSeconds(2L * i)));
        }

        CommandRun run = CommandRun.of("replay", "archive", folder.toString(), "--speed", "2", "--camera", "album",
                "--json", "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                cluster.registryUrl().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(run.out());
        assertThat(summary.get("published").asInt()).isEqualTo(3);
        assertThat(summary.get("seconds").asDouble()).as("4 s of capture time at x2").isBetween(1.9, 2.6);
        assertThat(framesOf("album")).extracting(Frame::getCapturedAt)
                .containsExactly(first, first.plusSeconds(2), first.plusSeconds(4));
    }

    @Test
    void speedAndMaxSpeedExcludeEachOther() {
        CommandRun run = CommandRun.of("replay", "archive", tmp.toString(), "--speed", "2", "--max-speed",
                "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl().toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mutually exclusive");
    }

    private static JsonNode replay(Path video, String camera, String... pace) throws Exception {
        String[] args = {"replay", "archive", video.toString(), "--camera", camera, "--start-time",
                "2026-11-30T08:00:00Z", "--json", "--bootstrap-servers", cluster.bootstrapServers(),
                "--registry-url", cluster.registryUrl().toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + pace.length);
        System.arraycopy(pace, 0, all, args.length, pace.length);
        CommandRun run = CommandRun.of(all);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out());
    }

    private static List<Frame> framesOf(String camera) {
        return TopicFrames.records(cluster.bootstrapServers(), cluster.serdes(), TOPICS.frames(), Frame.class)
                .stream().filter(r -> r.key().equals(camera)).map(ConsumerRecord::value).toList();
    }
}
