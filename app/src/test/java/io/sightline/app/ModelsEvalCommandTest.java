package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `models eval`: what it refuses before any model is loaded. */
class ModelsEvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void malformedLabelsFileIsRefusedWithExitCode2() throws IOException {
        Path image = image("a.jpg");
        Path labels = labels("[{\"file\": \"a.jpg\", \"boxes\": [[1, 2, 3, 4]]");

        CommandRun run = eval(labels, image);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("labels file " + labels + " is not valid JSON");
    }

    @Test
    void boxWithCornersOutOfOrderIsRefusedNamingEntryAndBox() throws IOException {
        Path image = image("a.jpg");
        Path labels = labels("[{\"file\": \"a.jpg\", \"boxes\": [[10, 10, 20, 20], [30, 10, 20, 20]]}]");

        CommandRun run = eval(labels, image);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("entry 0 (a.jpg), box 1: [30,10,20,20] is not a box");
    }

    @Test
    void boxThatIsNotFourNumbersIsRefused() throws IOException {
        Path image = image("a.jpg");
        CommandRun run = eval(labels("[{\"file\": \"a.jpg\", \"boxes\": [[10, 10, 20]]}]"), image);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("box 0: expected [x1, y1, x2, y2] in pixels, got [10,10,20]");
    }

    @Test
    void labelledImageThatDoesNotExistIsRefused() throws IOException {
        Path image = image("a.jpg");
        Path labels = labels("[{\"file\": \"a.jpg\", \"boxes\": []}, {\"file\": \"gone.jpg\", \"boxes\": []}]");

        CommandRun run = eval(labels, image);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("entry 1 (gone.jpg): image " + dir.resolve("gone.jpg") + " does not exist");
    }

    @Test
    void imagesNoneOfWhichIsLabelledAreRefused() throws IOException {
        Path labelled = image("a.jpg");
        Path other = image("b.jpg");
        CommandRun run = eval(labels("[{\"file\": \"a.jpg\", \"boxes\": []}]"), other);

        assertThat(labelled).exists();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("none of the images given is labelled in");
    }

    @Test
    void missingLabelsFileIsRefused() throws IOException {
        CommandRun run = eval(dir.resolve("nope.json"), image("a.jpg"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("labels file " + dir.resolve("nope.json") + " does not exist");
    }

    private CommandRun eval(Path labels, Path image) {
        return CommandRun.of("models", "eval", "--labels", labels.toString(), image.toString(),
                "--assets", CommandRun.assets().toString());
    }

    private Path labels(String json) throws IOException {
        return Files.writeString(dir.resolve("labels.json"), json);
    }

    /** Only its existence matters: every refusal here comes before an image is read. */
    private Path image(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[] {(byte) 0xff, (byte) 0xd8});
    }
}
