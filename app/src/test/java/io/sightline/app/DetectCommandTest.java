package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectCommandTest {

    @TempDir
    Path tmp;

    @Test
    void printsOneJsonObjectPerImageWithFacesInsideTheImage() throws Exception {
        Path assets = CommandRun.assets();
        Path solvay = assets.resolve("images/solvay-1927.jpg");
        Path group = assets.resolve("images/tf-mtcnn-test.jpg");

        CommandRun run = CommandRun.of("detect", solvay.toString(), group.toString(), "--json",
                "--assets", assets.toString(), "--annotate", tmp.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> results = parseLines(run.out());
        assertThat(results).hasSize(2);
        assertFaces(results.get(0), solvay, 29, 960, 661);
        assertFaces(results.get(1), group, 6, 498, 310);
        assertThat(results.get(0).at("/model/sha256").asText())
                .isEqualTo("f40d41e1d4d3aea5767078c1b1fc0666e354835b3956ffb6fcc835c981e58fb2");
        assertThat(results.get(0).at("/udf/name").asText()).isEqualTo("face-annotate");
        assertThat(results.get(0).at("/timingsMs/inference").asDouble()).isPositive();
        BufferedImage annotated = ImageIO.read(tmp.resolve("solvay-1927.png").toFile());
        assertThat(annotated.getWidth()).isEqualTo(960);
        assertThat(annotated.getHeight()).isEqualTo(661);
    }

    @Test
    void reportsTruncatedJpegAsDecodeErrorAndExitsOne() throws Exception {
        Path assets = CommandRun.assets();
        byte[] jpeg = Files.readAllBytes(assets.resolve("images/solvay-1927.jpg"));
        Path truncated = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));

        CommandRun run = CommandRun.of("detect", truncated.toString(), "--json", "--assets", assets.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode result = parseLines(run.out()).get(0);
        assertThat(result.at("/error/code").asText()).isEqualTo("IMAGE_DECODE");
    }

    @Test
    void detectsEveryImageOfAFolderInNameOrder() throws Exception {
        Path assets = CommandRun.assets();
        Path folder = Files.createDirectories(tmp.resolve("camera"));
        Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), folder.resolve("a-group.JPG"));
        Path nested = Files.createDirectories(folder.resolve("later"));
        Files.copy(assets.resolve("images/solvay-1927.jpg"), nested.resolve("b-solvay.jpg"));
        Files.writeString(folder.resolve("notes.txt"), "not an image");

        CommandRun run = CommandRun.of("detect", folder.toString(), "--json", "--assets", assets.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> results = parseLines(run.out());
        assertThat(results).extracting(result -> Path.of(result.get("image").asText()).getFileName().toString())
                .containsExactly("a-group.JPG", "b-solvay.jpg");
        assertThat(results).extracting(result -> result.get("faces").size()).containsExactly(6, 29);
    }

    @Test
    void facesOfAFolderKeepTheirTrackIdsFromImageToImage() throws Exception {
        Path assets = CommandRun.assets();
        Path folder = Files.createDirectories(tmp.resolve("static"));
        for (int i = 0; i < 4; i++) {
            Files.copy(assets.resolve("images/tf-mtcnn-test.jpg"), folder.resolve("frame-" + i + ".png"));
        }

        CommandRun run = CommandRun.of("detect", folder.toString(), "--json", "--assets", assets.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<List<Long>> ids = parseLines(run.out()).stream().map(result -> {
            List<Long> frame = new java.util.ArrayList<>();
            result.get("faces").forEach(face -> frame.add(face.get("trackId").asLong()));
            return frame;
        }).toList();
        assertThat(ids).hasSize(4);
        assertThat(ids.get(0)).hasSize(6).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isPositive());
        assertThat(ids).containsOnly(ids.get(0));
    }

    @Test
    void refusesAFolderWithoutImages() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "nothing here");

        CommandRun run = CommandRun.of("detect", empty.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("holds no .jpg, .jpeg or .png files");
    }

    @Test
    void failsFastWithAClearMessageWhenTheImageIsMissing() {
        CommandRun run = CommandRun.of("detect", tmp.resolve("nope.jpg").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("nope.jpg does not exist");
    }

    private static void assertFaces(JsonNode result, Path image, int faces, int width, int height) {
        assertThat(result.get("image").asText()).isEqualTo(image.toString());
        assertThat(result.get("faces")).hasSize(faces);
        for (JsonNode face : result.get("faces")) {
            JsonNode box = face.get("box");
            assertThat(box.get(0).asDouble()).isBetween(0.0, box.get(2).asDouble());
            assertThat(box.get(1).asDouble()).isBetween(0.0, box.get(3).asDouble());
            assertThat(box.get(2).asDouble()).isLessThanOrEqualTo(width);
            assertThat(box.get(3).asDouble()).isLessThanOrEqualTo(height);
            assertThat(face.get("landmarks")).hasSize(5);
            assertThat(face.get("score").asDouble()).isBetween(0.0, 1.0);
        }
    }

    static List<JsonNode> parseLines(String out) throws Exception {
        var mapper = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            nodes.add(mapper.readTree(line));
        }
        return nodes;
    }
}
