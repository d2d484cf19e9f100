package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.ingest.TestVideos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `demo --input VIDEO` and `demo --input cameras.yaml`: videos FFmpeg wrote at test time, through the real broker,
 * processor and TensorFlow.
 */
class DemoVideoInputTest {

    @TempDir
    Path tmp;

    @Test
    void everyFrameOfAThirtySecondVideoAtFiveFpsBecomesAnEventWithTheFacesOfItsPicture() throws Exception {
        Path assets = CommandRun.assets();
        Path video = TestVideos.write(tmp.resolve("group.mp4"), assets.resolve("images/tf-mtcnn-test.jpg"), 5, 30,
                "mp4");
        Path out = tmp.resolve("out");

        CommandRun run = CommandRun.of("demo", "--input", video.toString(), "--out", out.toString(),
                "--assets", assets.toString(), "--json", "--timeout", "240");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = DetectCommandTest.parseLines(run.out()).get(0);
        System.out.println("demo --input video: " + summary);
        assertThat(summary.get("framesIn").asInt()).isEqualTo(150);
        assertThat(summary.get("events").asInt()).isEqualTo(150);
        assertThat(summary.get("faces").asInt()).isEqualTo(900);
        List<JsonNode> events = DetectCommandTest.parseLines(java.nio.file.Files.readString(
                out.resolve("events.jsonl")));
        assertThat(events).hasSize(150);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("cameraId").asText()).isEqualTo("group");
            assertThat(e.get("faces").size()).as("the faces of tf-mtcnn-test.jpg").isEqualTo(6);
        });
    }

    @Test
    void aCameraListOfAVideoAndAFolderBecomesOneEventPerFrameOfEachCamera() throws Exception {
        Path assets = CommandRun.assets();
        TestVideos.write(tmp.resolve("porch.mp4"), assets.resolve("images/tf-mtcnn-test.jpg"), 5, 2, "mp4");
        Path stills = java.nio.file.Files.createDirectories(tmp.resolve("stills"));
        java.nio.file.Files.copy(assets.resolve("images/solvay-1927.jpg"), stills.resolve("solvay-1927.jpg"));
        Path yaml = java.nio.file.Files.writeString(tmp.resolve("cameras.yaml"), """
                cameras:
                  - {id: porch, source: porch.mp4}
                  - {id: hall, source: stills, pipeline: faces}
                """);

        CommandRun run = CommandRun.of("demo", "--input", yaml.toString(), "--out", tmp.resolve("out").toString(),
                "--assets", assets.toString(), "--json", "--timeout", "120");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = DetectCommandTest.parseLines(run.out()).get(0);
        System.out.println("demo --input cameras.yaml: " + summary);
        assertThat(summary.get("framesIn").asInt()).isEqualTo(11);
        assertThat(summary.get("events").asInt()).isEqualTo(11);
        List<JsonNode> events = DetectCommandTest.parseLines(java.nio.file.Files.readString(
                tmp.resolve("out/events.jsonl")));
        assertThat(events).filteredOn(e -> e.get("cameraId").asText().equals("porch")).hasSize(10)
                .allSatisfy(e -> assertThat(e.get("faces").size()).isEqualTo(6));
        assertThat(events).filteredOn(e -> e.get("cameraId").asText().equals("hall")).singleElement()
                .satisfies(e -> assertThat(e.get("faces").size()).isEqualTo(29));
    }
}
