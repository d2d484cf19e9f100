package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.ingest.TestVideos;
import io.sightline.schemas.Topics;
import io.sightline.schemas.avro.DeadLetter;
import io.sightline.schemas.avro.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `ingest video` on the real broker and registry, with video files FFmpeg wrote at test time. */
class IngestVideoCommandTest {

    private static final Topics TOPICS = ClusterPerClass.TOPICS;

    @RegisterExtension
    static final ClusterPerClass cluster = new ClusterPerClass();

    @TempDir
    static Path tmp;

    @Test
    void thirtySecondVideoAtFiveFpsIsOneHundredFiftyFramesInCaptureOrder() throws Exception {
        Path video = TestVideos.write(tmp.resolve("hall.mp4"), CommandRun.assets().resolve("images/tf-mtcnn-test.jpg"),
                25, 30, "mp4");

        CommandRun run = ingest(video.toString(), "--fps", "5", "--start-time", "2026-11-30T08:00:00Z", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(run.out());
        System.out.println("ingest video: " + summary);
        assertThat(summary.get("camera").asText()).isEqualTo("hall");
        assertThat(summary.get("published").asInt()).isEqualTo(150);
        assertThat(summary.get("skipped").asInt()).isEqualTo(600);
        assertThat(summary.get("rejected").asInt()).isZero();
        List<ConsumerRecord<String, Frame>> frames = framesOf("hall");
        assertThat(frames).hasSize(150);
        Instant start = Instant.parse("2026-11-30T08:00:00Z");
        long writtenAfter = Instant.now().minusSeconds(600).toEpochMilli();
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i).value();
            assertThat(frame.getCapturedAt()).isEqualTo(start.plus(Duration.ofMillis(200L * i)));
            assertThat(frames.get(i).timestamp()).as("stamped when written, not captured").isGreaterThan(writtenAfter);
            assertThat(frame.getSource().getSequence()).isEqualTo(i);
        }
    }

    @Test
    void aTruncatedVideoIsRejectedWithAClearLineAndExitCodeOne() throws Exception {
        Path whole = TestVideos.write(tmp.resolve("whole.mp4"), CommandRun.assets().resolve("images/solvay-1927.jpg"),
                10, 2, "mp4");
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(tmp.resolve("porch.mp4"), Arrays.copyOf(bytes, bytes.length / 2));

        CommandRun run = ingest(truncated.toString(), "--json");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("sightline ingest video: porch.mp4: ");
        JsonNode summary = new ObjectMapper().readTree(run.out());
        assertThat(summary.get("published").asInt()).isZero();
        assertThat(summary.get("rejected").asInt()).isEqualTo(1);
        assertThat(summary.get("failure").asText()).startsWith("porch.mp4: ");
        List<DeadLetter> letters = TopicFrames.records(cluster.bootstrapServers(), cluster.serdes(),
                TOPICS.deadLetters(), DeadLetter.class).stream().map(ConsumerRecord::value)
                .filter(d -> d.getCameraId().equals("porch")).toList();
        assertThat(letters).singleElement().satisfies(d -> {
            assertThat(d.getStage()).isEqualTo("ingest");
            assertThat(d.getMessage()).startsWith("porch.mp4: ");
        });
    }

    @Test
    void aStartTimeThatIsNotIsoIsRefusedBeforeAnythingIsRead() {
        CommandRun run = ingest(tmp.resolve("missing.mp4").toString(), "--start-time", "yesterday");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--start-time must be ISO-8601");
    }

    private static CommandRun ingest(String... args) {
        String[] common = {"ingest", "video", "--bootstrap-servers", cluster.bootstrapServers(), "--registry-url",
                cluster.registryUrl().toString()};
        String[] all = Arrays.copyOf(common, common.length + args.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        return CommandRun.of(all);
    }

    private static List<ConsumerRecord<String, Frame>> framesOf(String camera) {
        return TopicFrames.records(cluster.bootstrapServers(), cluster.serdes(), TOPICS.frames(), Frame.class)
                .stream().filter(r -> r.key().equals(camera)).toList();
    }
}
