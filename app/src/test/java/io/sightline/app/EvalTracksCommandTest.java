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
 * `eval tracks` with the real MTCNN and the tracker over the labelled sequences of eval/tracks. The floors are the
 * acceptance of tracking (IDF1 0.90, at most one identity switch per crossing); what the defaults reach is in
 * docs/tracking.md.
 */
class EvalTracksCommandTest {

    private static final Path SEQUENCES = Path.of("../eval/tracks").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void facesCrossingAndHidingEachOtherAt5FramesASecondKeepTheirIds() throws Exception {
        JsonNode scores = eval("crossing-5fps");

        assertThat(scores.get("frames").asInt()).isEqualTo(40);
        assertThat(scores.get("truthTracks").asInt()).isEqualTo(6);
        assertThat(scores.get("idf1").asDouble()).isGreaterThanOrEqualTo(0.90);
        assertThat(scores.get("idSwitches").asInt()).isLessThanOrEqualTo(1);
        assertThat(scores.get("mota").asDouble()).isGreaterThanOrEqualTo(0.90);
        assertThat(scores.get("tracks").asInt()).isBetween(6, 8);
    }

    @Test
    void tenPeopleWalkingPastEachOtherKeepTheirIds() throws Exception {
        JsonNode scores = eval("door-5fps");

        assertThat(scores.get("truthTracks").asInt()).isEqualTo(10);
        assertThat(scores.get("idf1").asDouble()).isGreaterThanOrEqualTo(0.90);
        assertThat(scores.get("idSwitches").asInt()).isLessThanOrEqualTo(1);
    }

    @Test
    void aLabelsFileWithoutFramesIsRefusedWithExitCode2() throws IOException {
        Path labels = Files.writeString(dir.resolve("labels.json"), "{\"objects\": []}");

        CommandRun run = CommandRun.of("eval", "tracks", "--labels", labels.toString(), dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("has no \"frames\" array");
    }

    @Test
    void framesOutOfTimeOrderAreRefusedNamingTheFrame() throws IOException {
        Files.copy(SEQUENCES.resolve("crossing-5fps/frame-0000.jpg"), dir.resolve("a.jpg"));
        Path labels = Files.writeString(dir.resolve("labels.json"), "{\"frames\": ["
                + "{\"file\": \"a.jpg\", \"time\": \"2026-03-02T09:00:01Z\", \"objects\": []},"
                + "{\"file\": \"a.jpg\", \"time\": \"2026-03-02T09:00:00Z\", \"objects\": []}]}");

        CommandRun run = CommandRun.of("eval", "tracks", "--labels", labels.toString(), dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("frame 1: time 2026-03-02T09:00:00Z is before the frame before it");
    }

    private static JsonNode eval(String sequence) throws Exception {
        Path folder = SEQUENCES.resolve(sequence);
        CommandRun run = CommandRun.of("eval", "tracks", "--labels", folder.resolve("labels.json").toString(),
                folder.toString(), "--json", "--assets", CommandRun.assets().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out().strip());
    }
}
