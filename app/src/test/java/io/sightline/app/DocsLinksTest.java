package io.sightline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README is the front door and docs/ holds a page per topic. A newcomer can only walk them if every relative link
 * leads somewhere (the file exists and an {@code #anchor} names one of its headings, by GitHub's rules), every page can
 * be reached from the README or docs/index.md, and the README stays short.
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path README = ROOT.resolve("README.md");
    private static final Path INDEX = ROOT.resolve("docs/index.md");
    private static final int README_MAX_LINES = 300;

    /** {@code [text](target)} or {@code ![alt](target "title")}; the target has no spaces. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    @Test
    void everyRelativeLinkLeadsToAFileAndAHeadingThatExist() {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (Link link : links(page)) {
                problem(link).ifPresent(broken::add);
            }
        }

        assertThat(broken).as("broken links in README.md and docs/").isEmpty();
    }

    @Test
    void everyDocsPageIsLinkedFromTheReadmeOrTheIndex() {
        Set<Path> linked = new HashSet<>();
        for (Path page : List.of(README, INDEX)) {
            links(page).forEach(link -> linked.add(link.targetFile()));
        }
        List<String> orphans = pages().stream()
                .filter(page -> !page.equals(README) && !linked.contains(page))
                .map(page -> name(page) + " is linked from neither README.md nor docs/index.md")
                .toList();

        assertThat(orphans).as("docs pages a reader cannot reach").isEmpty();
    }

    @Test
    void readmeIsAFrontDoorOfAtMost300Lines() {
        assertThat(lines(README)).as("README.md is the front door: keep it to %d lines and move the rest to docs/",
                README_MAX_LINES).hasSizeLessThanOrEqualTo(README_MAX_LINES);
    }

    @Test
    void anchorsAreMadeFromHeadingsAsGitHubMakesThem() {
        assertThat(anchors(List.of("# Video files: `ingest video`", "## Deployment (Docker Compose)",
                "### `demo --input`", "## Measured on the 2-core build machine", "## UDFs: WebAssembly transforms",
                "## See [Scaling](operations.md#scaling)", "## Notes", "## Notes")))
                .containsExactlyInAnyOrder("video-files-ingest-video", "deployment-docker-compose", "demo---input",
                        "measured-on-the-2-core-build-machine", "udfs-webassembly-transforms", "see-scaling", "notes",
                        "notes-1");
    }

    @Test
    void linksInCodeAreNotLinks() {
        List<String> text = List.of("[a](a.md) `[b](b.md)`", "```", "[c](c.md)", "```", "[d](https://example.com/d)");

        assertThat(links(README, text)).extracting(Link::target).containsExactly("a.md", "https://example.com/d");
    }

    /** What is wrong with a relative link, if anything. */
    private static Optional<String> problem(Link link) {
        if (SCHEME.matcher(link.target()).find()) {
            return Optional.empty();
        }
        Path target = link.targetFile();
        if (!Files.exists(target)) {
            return Optional.of(link.where() + ": " + link.target() + ": " + name(target) + " does not exist");
        }
        String anchor = link.anchor();
        if (anchor.isEmpty() || !target.toString().endsWith(".md") || anchors(lines(target)).contains(anchor)) {
            return Optional.empty();
        }
        return Optional.of(link.where() + ": " + link.target() + ": " + name(target)
                + " has no heading with the anchor #" + anchor);
    }

    /** README.md and every page under docs/. */
    private static List<Path> pages() {
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            List<Path> pages = new ArrayList<>(List.of(README));
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
            return pages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Link> links(Path page) {
        return links(page, lines(page));
    }

    private static List<Link> links(Path page, List<String> lines) {
        List<Link> links = new ArrayList<>();
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (isFence(line)) {
                inFence = !inFence;
            } else if (!inFence) {
                Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
                while (link.find()) {
                    links.add(new Link(page, i + 1, link.group(1)));
                }
            }
        }
        return links;
    }

    /**
     * GitHub's heading anchors: the heading's text (a link counts as its text) in lower case, without punctuation
     * other than '-' and '_', spaces turned into '-'; a repeated anchor gets "-1", "-2", ….
     */
    private static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : lines) {
            if (isFence(line)) {
                inFence = !inFence;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (inFence || !heading.matches()) {
                continue;
            }
            String slug = heading.group(1).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                    .replace(' ', '-');
            int repeats = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(repeats == 0 ? slug : slug + "-" + repeats);
        }
        return anchors;
    }

    private static boolean isFence(String line) {
        String trimmed = line.stripLeading();
        return trimmed.startsWith("```") || trimmed.startsWith("~~~");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(Path path) {
        return path.startsWith(ROOT) ? ROOT.relativize(path).toString() : path.toString();
    }

    /** A link as written on line {@code line} of {@code page}. */
    private record Link(Path page, int line, String target) {

        Path targetFile() {
            String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
            return file.isEmpty() ? page : page.resolveSibling(file).normalize();
        }

        String anchor() {
            return target.contains("#") ? target.substring(target.indexOf('#') + 1) : "";
        }

        String where() {
            return name(page) + ":" + line;
        }
    }
}
