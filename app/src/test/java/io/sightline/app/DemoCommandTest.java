package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole pipeline end to end: real in-process KRaft broker, embedded registry, Kafka Streams with the real Wasm UDF
 * and real TensorFlow, directory ingest, and the outputs read back from the topics.
 */
class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void processesSampleImagesThroughTheBrokerAndDeadLettersTheTruncatedJpeg() throws Exception {
        Path assets = CommandRun.assets();
        Path input = Files.createDirectory(tmp.resolve("in"));
        Files.copy(assets.resolve("images/solvay-1927.jpg"), input.resolve("solvay-1927.jpg"));
        Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), input.resolve("tf-mtcnn-test.jpg"));
        byte[] jpeg = Files.readAllBytes(assets.resolve("images/solvay-1927.jpg"));
        Files.write(input.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Path out = tmp.resolve("out");

        CommandRun run = CommandRun.of("demo", "--input", input.toString(), "--out", out.toString(),
                "--assets", assets.toString(), "--json", "--timeout", "120");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = DetectCommandTest.parseLines(run.out()).get(0);
        assertThat(summary.get("framesIn").asInt()).isEqualTo(3);
        assertThat(summary.get("events").asInt()).isEqualTo(2);
        assertThat(summary.get("faces").asInt()).isEqualTo(35);
        assertThat(summary.get("deadLetters").asInt()).isEqualTo(1);
        assertThat(summary.at("/deadLettersByReason/IMAGE_DECODE").asInt()).isEqualTo(1);
        assertThat(summary.get("streamThreads").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        // The run detected two frames: some CPU was spent, and no more than every core for the whole run.
        assertThat(summary.get("cpuPerWall").asDouble()).isPositive()
                .isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() + 0.5);

        List<JsonNode> events = DetectCommandTest.parseLines(Files.readString(out.resolve("events.jsonl")));
        assertThat(events).extracting(e -> e.get("frameId").asText() + "=" + e.get("faces").size())
                .containsExactlyInAnyOrder("solvay-1927=29", "tf-mtcnn-test=6");
        for (JsonNode event : events) {
            assertThat(event.get("cameraId").asText()).isEqualTo("default");
            assertThat(event.at("/model/sha256").asText())
                    .isEqualTo("f40d41e1d4d3aea5767078c1b1fc0666e354835b3956ffb6fcc835c981e58fb2");
            assertThat(event.at("/faces/0/landmarks")).hasSize(5);
        }

        assertAnnotated(out.resolve("annotated/default/solvay-1927.jpg"), input.resolve("solvay-1927.jpg"));
        assertAnnotated(out.resolve("annotated/default/tf-mtcnn-test.jpg"), input.resolve("tf-mtcnn-test.jpg"));
        JsonNode letter = DetectCommandTest.parseLines(Files.readString(out.resolve("dead-letters.jsonl"))).get(0);
        assertThat(letter.get("frameId").asText()).isEqualTo("truncated");
        assertThat(letter.get("stage").asText()).isEqualTo("decode");
    }

    /** Stateful stages (the sampler, the crowd alert) go by capture time, whatever the camera's clock says. */
    @ParameterizedTest(name = "captured {0}")
    @CsvSource({"five days ago, -432000", "a year ago, -31536000", "three hours ahead, 10800"})
    void runsEachCamerasPipelineCountsSampledOutFramesAndWritesNamedOutputs(String when, long secondsFromNow)
            throws Exception {
        Path assets = CommandRun.assets();
        Path input = Files.createDirectory(tmp.resolve("in"));
        Path door = Files.createDirectory(input.resolve("door"));
        Path hall = Files.createDirectory(input.resolve("hall"));
        Instant t0 = Instant.now().plusSeconds(secondsFromNow);
        int[] offsets = {0, 300, 1000};
        for (int i = 0; i < offsets.length; i++) {
            Path frame = door.resolve("d" + (i + 1) + ".png");
            ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR), "png", frame.toFile());
            Files.setLastModifiedTime(frame, FileTime.from(t0.plusMillis(offsets[i])));
            Path crowd = Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), hall.resolve("h" + (i + 1) + ".jpg"));
            Files.setLastModifiedTime(crowd, FileTime.from(t0.plusSeconds(i + 1)));
        }
        Path pipelines = Files.writeString(tmp.resolve("pipelines.yaml"), """
                pipelines:
                  - name: sampled
                    cameras: [door]
                    stages:
                      - udf: frame-sampler
                        config: {fps: 1}
                      - face-annotate
                  - name: default
                    cameras: ["*"]
                    stages:
                      - face-annotate
                      - udf: crowd-alert
                        config: {minFaces: 5, frames: 3}
                        outputs: [alerts]
                """);
        Path out = tmp.resolve("out");

        CommandRun run = CommandRun.of("demo", "--input", input.toString(), "--out", out.toString(),
                "--pipelines", pipelines.toString(), "--assets", assets.toString(), "--json", "--timeout", "120");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = DetectCommandTest.parseLines(run.out()).get(0);
        assertThat(summary.get("framesIn").asInt()).isEqualTo(6);
        assertThat(summary.get("events").asInt()).isEqualTo(5);
        assertThat(summary.get("faces").asInt()).isEqualTo(18);
        assertThat(summary.get("deadLetters").asInt()).isEqualTo(1);
        assertThat(summary.at("/deadLettersByReason/DROPPED_BY_UDF").asInt()).isEqualTo(1);
        assertThat(summary.at("/outputs/alerts").asInt()).isEqualTo(1);
        List<JsonNode> events = DetectCommandTest.parseLines(Files.readString(out.resolve("events.jsonl")));
        assertThat(events).extracting(e -> e.get("frameId").asText() + " " + e.get("pipeline").asText())
                .containsExactlyInAnyOrder("d1 sampled", "d3 sampled", "h1 default", "h2 default", "h3 default");
        assertThat(events).allSatisfy(e -> assertThat(e.get("clockSkew").asLong())
                .as("the event says how far off the capture time is").isCloseTo(secondsFromNow, within(120L)));
        JsonNode letter = DetectCommandTest.parseLines(Files.readString(out.resolve("dead-letters.jsonl"))).get(0);
        assertThat(letter.get("frameId").asText()).isEqualTo("d2");
        assertThat(letter.at("/udf/name").asText()).isEqualTo("frame-sampler");
        try (var alerts = Files.list(out.resolve("alerts/hall"))) {
            assertThat(alerts.toList()).singleElement().satisfies(file -> {
                JsonNode alert = new ObjectMapper().readTree(file.toFile());
                assertThat(alert.get("cameraId").asText()).isEqualTo("hall");
                assertThat(alert.get("faces").asInt()).isEqualTo(6);
            });
        }
    }

    /** The annotated image has the original size and visibly differs from the input where boxes are drawn. */
    private static void assertAnnotated(Path png, Path original) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        BufferedImage before = ImageIO.read(original.toFile());
        assertThat(image.getWidth()).isEqualTo(before.getWidth());
        assertThat(image.getHeight()).isEqualTo(before.getHeight());
        assertThat(countChangedPixels(before, image)).as("pixels changed by the drawn boxes").isGreaterThan(1000);
    }

    private static int countChangedPixels(BufferedImage a, BufferedImage b) {
        int count = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                Color p = new Color(a.getRGB(x, y));
                Color q = new Color(b.getRGB(x, y));
                int diff = Math.abs(p.getRed() - q.getRed()) + Math.abs(p.getGreen() - q.getGreen())
                        + Math.abs(p.getBlue() - q.getBlue());
                if (diff > 90) {
                    count++;
                }
            }
        }
        return count;
    }
}
