package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

        List<JsonNode> events = DetectCommandTest.parseLines(Files.readString(out.resolve("events.jsonl")));
        assertThat(events).extracting(e -> e.get("frameId").asText() + "=" + e.get("faces").size())
                .containsExactlyInAnyOrder("solvay-1927=29", "tf-mtcnn-test=6");
        for (JsonNode event : events) {
            assertThat(event.get("cameraId").asText()).isEqualTo("default");
            assertThat(event.at("/model/sha256").asText())
                    .isEqualTo("f40d41e1d4d3aea5767078c1b1fc0666e354835b3956ffb6fcc835c981e58fb2");
            assertThat(event.at("/faces/0/landmarks")).hasSize(5);
        }

        assertAnnotated(out.resolve("annotated/default/solvay-1927.png"), input.resolve("solvay-1927.jpg"));
        assertAnnotated(out.resolve("annotated/default/tf-mtcnn-test.png"), input.resolve("tf-mtcnn-test.jpg"));
        JsonNode letter = DetectCommandTest.parseLines(Files.readString(out.resolve("dead-letters.jsonl"))).get(0);
        assertThat(letter.get("frameId").asText()).isEqualTo("truncated");
        assertThat(letter.get("stage").asText()).isEqualTo("decode");
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
