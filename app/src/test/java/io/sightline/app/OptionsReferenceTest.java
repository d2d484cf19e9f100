package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/options.md, "Every option", is generated from the commands: regenerating it must give the checked-in text. After
 * changing an option, {@code -Dsightline.approve=true} rewrites the page's table; review the diff and commit it.
 */
class OptionsReferenceTest {

    private static final boolean APPROVE = Boolean.getBoolean("sightline.approve");
    private static final Path OPTIONS_PAGE = Path.of("../docs/options.md");

    @Test
    void optionsPageListsEveryOptionAsTheCommandsDefineIt() throws IOException {
        String current = Files.readString(OPTIONS_PAGE, StandardCharsets.UTF_8);
        String expected = OptionsReference.replace(current, OptionsReference.markdown());
        if (APPROVE && !expected.equals(current)) {
            Files.writeString(OPTIONS_PAGE, expected, StandardCharsets.UTF_8);
            return;
        }
        assertThat(current).as(OPTIONS_PAGE + " is out of date with the commands' options: run the test once with "
                + "-Dsightline.approve=true, review the diff and commit it").isEqualTo(expected);
    }

    @Test
    void rowGivesNamesDefaultVariablesAndDescription() {
        String markdown = OptionsReference.markdown();

        assertThat(markdown).contains("**`sightline process`**\n\n| option | default | environment | description |\n");
        assertThat(markdown).contains("| `--threads N` | one per core | `SIGHTLINE_PROCESS_THREADS`, `SIGHTLINE_THREADS` | ");
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
        String page = "before\n" + OptionsReference.BEGIN + "\nold\n" + OptionsReference.END + "\nafter\n";

        assertThat(OptionsReference.replace(page, "new\n"))
                .isEqualTo("before\n" + OptionsReference.BEGIN + "\nnew\n" + OptionsReference.END + "\nafter\n");
    }
}
