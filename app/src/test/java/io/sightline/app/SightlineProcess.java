package io.sightline.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A `sightline` command in its own JVM, as a user runs it next to others, for tests that need a real process. */
final class SightlineProcess {

    private SightlineProcess() {
    }

    /**
     * Starts {@code sightline ARGS} on this test's class path, its output (both streams) appended to {@code log}.
     *
     * @param jvmOptions options of the child JVM, e.g. {@code -Xmx1g}
     */
    static Process start(List<String> jvmOptions, List<String> args, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Sightline.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The first group of {@code pattern} once the log has a match; fails with the log after two minutes. */
    static String await(Process process, Path log, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = pattern.matcher(Files.readString(log));
            if (matcher.find()) {
                return matcher.group(1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + pattern + "' from the process:\n" + Files.readString(log));
    }

    /** SIGTERM, as Ctrl-C; SIGKILL after a minute. */
    static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** An HTTP basic {@code Authorization} header value. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
