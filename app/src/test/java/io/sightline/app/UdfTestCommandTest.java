package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `sightline udf test` with real TensorFlow and real Wasm: a bundled UDF by name, a module from a file. */
class UdfTestCommandTest {

    @TempDir
    Path tmp;

    @Test
    void runsABundledUdfByNameAndWritesItsImages() throws Exception {
        Path assets = CommandRun.assets();
        Path group = assets.resolve("images/tf-mtcnn-test.jpg");
        Path out = tmp.resolve("out");

        CommandRun run = CommandRun.of("udf", "test", "face-annotate", group.toString(), "--json",
                "--out", out.toString(), "--assets", assets.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = DetectCommandTest.parseLines(run.out()).get(0);
        assertThat(result.get("image").asText()).isEqualTo(group.toString());
        assertThat(result.get("faces")).hasSize(6);
        assertThat(result.at("/udf/name").asText()).isEqualTo("face-annotate");
        assertSize(out.resolve("tf-mtcnn-test.png"), 498, 310);
    }

    @Test
    void loadsAModuleFileCompilesItAtRunTimeAndRunsItOnEveryImage() throws Exception {
        Path assets = CommandRun.assets();
        byte[] wasm = faceAnnotateWasm();
        Path module = Files.write(tmp.resolve("My-Annotate.wasm"), wasm);
        Path out = tmp.resolve("out");

        CommandRun run = CommandRun.of("udf", "test", module.toString(), assets.resolve("images").toString(),
                "--json", "--out", out.toString(), "--config", "{\"colour\":\"green\"}",
                "--assets", assets.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> results = DetectCommandTest.parseLines(run.out());
        assertThat(results).extracting(result -> Path.of(result.get("image").asText()).getFileName().toString())
                .contains("solvay-1927.jpg", "tf-mtcnn-test.jpg");
        for (JsonNode result : results) {
            assertThat(result.at("/udf/name").asText()).isEqualTo("my-annotate");
            assertThat(result.at("/udf/version").asText()).isEqualTo("local");
            assertThat(result.at("/udf/sha256").asText()).isEqualTo(sha256(wasm));
            String name = Path.of(result.get("image").asText()).getFileName().toString();
            if (name.equals("solvay-1927.jpg")) {
                assertThat(result.get("faces")).hasSize(29);
            } else if (name.equals("tf-mtcnn-test.jpg")) {
                assertThat(result.get("faces")).hasSize(6);
            }
        }
        assertSize(out.resolve("solvay-1927.png"), 960, 661);
        assertSize(out.resolve("tf-mtcnn-test.png"), 498, 310);
    }

    @Test
    void printsALineForPeopleWithTheUdfAndEachImage() throws Exception {
        Path assets = CommandRun.assets();
        Path module = Files.write(tmp.resolve("annotate.wasm"), faceAnnotateWasm());
        Path group = assets.resolve("images/tf-mtcnn-test.jpg");

        CommandRun run = CommandRun.of("udf", "test", module.toString(), group.toString(),
                "--assets", assets.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).satisfiesExactly(
                header -> assertThat(header).startsWith("annotate@local (from " + module
                        + ", compiled at run time, sha256 ").contains("): loaded in "),
                line -> assertThat(line).startsWith(group + ": 6 faces in 498x310"));
    }

    @Test
    void refusesAMalformedModuleInOneLineWithExitCodeTwo() throws Exception {
        Path assets = CommandRun.assets();
        Path module = Files.writeString(tmp.resolve("broken.wasm"), "not a module");

        CommandRun run = CommandRun.of("udf", "test", module.toString(),
                assets.resolve("images/tf-mtcnn-test.jpg").toString(), "--assets", assets.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("sightline udf test: broken@local is not a valid WebAssembly module: ")
                .doesNotContain("\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void refusesAnUnknownBundledNameAMissingFileAndConfigThatIsNotJson() {
        Path image = CommandRun.assets().resolve("images/tf-mtcnn-test.jpg");

        CommandRun unknown = CommandRun.of("udf", "test", "face-blurr", image.toString());
        CommandRun missing = CommandRun.of("udf", "test", tmp.resolve("gone.wasm").toString(), image.toString());
        CommandRun badConfig = CommandRun.of("udf", "test", "face-annotate", image.toString(), "--config", "{oops");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("sightline udf test: no bundled UDF is named face-blurr; bundled: "
                + "crowd-alert, face-annotate, face-blur, frame-sampler");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("sightline udf test: module " + tmp.resolve("gone.wasm") + " does not exist");
        assertThat(badConfig.exitCode()).isEqualTo(2);
        assertThat(badConfig.err()).contains("sightline udf test: --config is not valid JSON: ");
    }

    @Test
    void udfWithoutACommandSaysWhichOnesExist() {
        CommandRun run = CommandRun.of("udf");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing a command: test");
    }

    private static byte[] faceAnnotateWasm() throws IOException {
        try (InputStream in = UdfTestCommandTest.class.getResourceAsStream(
                "/io/sightline/udf/bundled/face-annotate.wasm")) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void writesFaceBlursBlurredImageWithEveryFaceBlurredAndTheRestUnchanged() throws Exception {
        Path assets = CommandRun.assets();
        Path solvay = assets.resolve("images/solvay-1927.jpg");
        Path out = tmp.resolve("out");

        CommandRun run = CommandRun.of("udf", "test", "face-blur", solvay.toString(), "--out", out.toString(),
                "--json", "--assets", assets.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = DetectCommandTest.parseLines(run.out()).get(0);
        Path written = out.resolve("solvay-1927.blurred.png");
        assertThat(result.get("outputs")).hasSize(1);
        assertThat(result.at("/outputs/0/output").asText()).isEqualTo("blurred");
        assertThat(result.at("/outputs/0/contentType").asText()).isEqualTo("image/png");
        assertThat(result.at("/outputs/0/file").asText()).isEqualTo(written.toString());
        assertThat(result.get("faces")).hasSizeGreaterThanOrEqualTo(29);
        BufferedImage source = ImageIO.read(solvay.toFile());
        BufferedImage blurred = ImageIO.read(written.toFile());
        boolean[][] nearFace = new boolean[source.getHeight()][source.getWidth()];
        for (JsonNode face : result.get("faces")) {
            int[] box = box(face);
            // Sharpness inside each face box falls at least a hundredfold.
            assertThat(laplacianVariance(blurred, box)).isLessThan(laplacianVariance(source, box) / 100);
            int margin = Math.round(0.15f * Math.max(box[2] - box[0], box[3] - box[1])) + 2;
            for (int y = Math.max(0, box[1] - margin); y < Math.min(source.getHeight(), box[3] + margin); y++) {
                for (int x = Math.max(0, box[0] - margin); x < Math.min(source.getWidth(), box[2] + margin); x++) {
                    nearFace[y][x] = true;
                }
            }
        }
        long changedElsewhere = 0;
        for (int y = 0; y < source.getHeight(); y++) {
            for (int x = 0; x < source.getWidth(); x++) {
                if (!nearFace[y][x] && source.getRGB(x, y) != blurred.getRGB(x, y)) {
                    changedElsewhere++;
                }
            }
        }
        assertThat(changedElsewhere).isZero();
    }

    @Test
    void writesEachRecordOfANamedOutputAsAFile() throws Exception {
        Path assets = CommandRun.assets();
        Path group = assets.resolve("images/tf-mtcnn-test.jpg");
        Path solvay = assets.resolve("images/solvay-1927.jpg");
        Path out = tmp.resolve("out");

        CommandRun run = CommandRun.of("udf", "test", "crowd-alert", group.toString(), group.toString(),
                solvay.toString(), "--config", "{\"minFaces\": 5, \"frames\": 3}", "--out", out.toString(),
                "--assets", assets.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path alert = out.resolve("solvay-1927.alerts.json");
        assertThat(run.out()).contains("  alerts: application/json, ").contains(" -> " + alert);
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(alert.toFile());
        assertThat(json.get("cameraId").asText()).isEqualTo("cli");
        assertThat(json.get("frameId").asText()).isEqualTo("solvay-1927");
        assertThat(json.get("faces").asInt()).isEqualTo(29);
        assertThat(out.resolve("tf-mtcnn-test.alerts.json")).doesNotExist();
    }

    private static int[] box(JsonNode face) {
        JsonNode box = face.get("box");
        return new int[] {Math.round(box.get(0).floatValue()), Math.round(box.get(1).floatValue()),
                Math.round(box.get(2).floatValue()), Math.round(box.get(3).floatValue())};
    }

    /** Variance of the luminance's 4-neighbour Laplacian inside the box: high for detail, near zero when blurred. */
    private static double laplacianVariance(BufferedImage image, int[] box) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int y = Math.max(1, box[1]); y < Math.min(image.getHeight() - 1, box[3]); y++) {
            for (int x = Math.max(1, box[0]); x < Math.min(image.getWidth() - 1, box[2]); x++) {
                double laplacian = luma(image, x - 1, y) + luma(image, x + 1, y) + luma(image, x, y - 1)
                        + luma(image, x, y + 1) - 4 * luma(image, x, y);
                sum += laplacian;
                squares += laplacian * laplacian;
                n++;
            }
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }

    private static double luma(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y);
        return 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
    }

    private static void assertSize(Path image, int width, int height) throws IOException {
        BufferedImage decoded = ImageIO.read(image.toFile());
        assertThat(decoded.getWidth()).isEqualTo(width);
        assertThat(decoded.getHeight()).isEqualTo(height);
    }
}
