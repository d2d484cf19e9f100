package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `models eval` with the real MTCNN over the labelled set in eval/faces. The floors are the values measured when the
 * defaults were chosen (docs/models.md, "Accuracy") less a small margin: a change to the model, its thresholds or the
 * post-processing that loses faces or adds false ones fails here.
 */
class ModelsEvalHarnessTest {

    private static final Path SET = Path.of("../eval/faces").toAbsolutePath().normalize();
    private static final Path LABELS = SET.resolve("labels.json");

    @TempDir
    Path dir;

    @Test
    void findsTheLabelledFacesAtMinFace20() throws IOException {
        JsonNode result = eval("--min-face", "20");

        assertThat(result.get("images").asInt()).isEqualTo(28);
        assertThat(result.get("labels").asInt()).isEqualTo(61);
        assertThat(result.get("scoreFloor").asDouble()).isEqualTo(0.8);
        // Measured: 59 of 61 faces, 59 of 59 detections.
        assertThat(result.get("recall").asDouble()).isGreaterThanOrEqualTo(0.93);
        assertThat(result.get("precision").asDouble()).isGreaterThanOrEqualTo(0.97);
        assertThat(result.get("negatives").asInt()).isEqualTo(5);
        assertThat(result.get("cleanNegatives").asInt()).isEqualTo(5);
        assertThat(result.get("notLabelled")).isEmpty();
        assertThat(result.get("notGiven")).isEmpty();
    }

    @Test
    void findsTheLabelledFacesAtMinFace40() throws IOException {
        JsonNode result = eval("--min-face", "40");

        // Measured: 56 of 61 faces, 56 of 56 detections.
        assertThat(result.get("recall").asDouble()).isGreaterThanOrEqualTo(0.88);
        assertThat(result.get("precision").asDouble()).isGreaterThanOrEqualTo(0.97);
        assertThat(result.get("cleanNegatives").asInt()).isEqualTo(5);
    }

    @Test
    void printsOneRowPerImageAndNamesImagesLeftOutOnEitherSide() throws IOException {
        Path unlabelled = Files.copy(SET.resolve("skimage-coffee.jpg"), dir.resolve("coffee.jpg"));

        CommandRun run = CommandRun.of("models", "eval", "--labels", LABELS.toString(),
                SET.resolve("faceapi-sample4.jpg").toString(), SET.resolve("skimage-chelsea.jpg").toString(),
                unlabelled.toString(), "--assets", CommandRun.assets().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .containsPattern("faceapi-sample4.jpg +4 +4 +4 +0 +0\\n")
                .containsPattern("skimage-chelsea.jpg +0 +0 +0 +0 +0\\n")
                .contains("recall 1.000 (4 of 4 faces)  precision 1.000 (4 of 4 detections)  clean negatives 1 of 1")
                .contains("not labelled in " + LABELS + ", so not measured: [" + unlabelled + "]")
                .contains("labelled but not given, so not measured: [faceapi-sample1-crop.jpg");
    }

    private JsonNode eval(String minFaceOption, String minFace) throws IOException {
        CommandRun run = CommandRun.of("models", "eval", "--json", "--labels", LABELS.toString(), SET.toString(),
                minFaceOption, minFace, "--assets", CommandRun.assets().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out());
    }
}
