package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README's "Every option" table is generated from the commands: regenerating it must give the checked-in text. After
 * changing an option, {@code -Dsightline.approve=true} rewrites README's table; review the diff and commit it.
 */
class OptionsReferenceTest {

    private static final boolean APPROVE = Boolean.getBoolean("sightline.approve");
    private static final Path README = Path.of("../README.md");

    @Test
    void readmeListsEveryOptionAsTheCommandsDefineIt() throws IOException {
        String current = Files.readString(README, StandardCharsets.UTF_8);
        String expected = OptionsReference.replace(current, OptionsReference.markdown());
        if (APPROVE && !expected.equals(current)) {
            Files.writeString(README, expected, StandardCharsets.UTF_8);
            return;
        }
        assertThat(current).as(README + " is out of date with the commands' options: run the test once with "
                + "-Dsightline.approve=true, review the diff and commit it").isEqualTo(expected);
    }

    @Test
    void rowGivesNamesDefaultVariablesAndDescription() {
        String markdown = OptionsReference.markdown();

        assertThat(markdown).contains("**`sightline process`**\n\n| option | default | environment | description |\n");
        assertThat(markdown).contains("| `--threads N` | 1 | `SIGHTLINE_PROCESS_THREADS`, `SIGHTLINE_THREADS` | ");
        assertThat(markdown).contains("| `-D, --kafka KEY=VALUE` | — | `SIGHTLINE_PROCESS_KAFKA`, `SIGHTLINE_KAFKA` | ");
        assertThat(markdown).contains("| `--exactly-once` | at least once | `SIGHTLINE_PROCESS_EXACTLY_ONCE`, ");
        assertThat(markdown).contains("| `--json` | false | `SIGHTLINE_DEMO_JSON`, `SIGHTLINE_JSON` | ");
        assertThat(markdown).contains("**`sightline ingest rtsp`**");
    }

    @Test
    void leavesOutHelpAndListsTheInheritedVerboseOnce() {
        String markdown = OptionsReference.markdown();

        assertThat(markdown).doesNotContain("--help").doesNotContain("`-V, --version`");
        assertThat(markdown.split("`--verbose`", -1)).hasSize(2);
        assertThat(markdown).startsWith("**`sightline`**\n\n");
    }

    @Test
    void replacesOnlyTheTextBetweenTheMarkers() {
        String readme = "before\n" + OptionsReference.BEGIN + "\nold\n" + OptionsReference.END + "\nafter\n";

        assertThat(OptionsReference.replace(readme, "new\n"))
                .isEqualTo("before\n" + OptionsReference.BEGIN + "\nnew\n" + OptionsReference.END + "\nafter\n");
    }
}
