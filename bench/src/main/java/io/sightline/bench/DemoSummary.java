package io.sightline.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sightline.ingest.IngestReport;
import io.sightline.schemas.avro.DeadLetter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a demo run did, as printed at its end.
 *
 * @param cpuPerWall    process CPU seconds per wall second from the first frame published to the last output: 2.0
 *                      on a 2-core machine means both cores worked the whole run
 * @param streamThreads the processor's stream threads
 */
public record DemoSummary(Path input, Path out, IngestReport ingest, int events, int faces, int annotated,
        List<DeadLetter> deadLetters, Map<String, Integer> deadLettersByReason, Map<String, Integer> outputs,
        double framesPerSecond, double cpuPerWall, int streamThreads,
        Duration startup, Duration firstEvent, long peakRssMiB, boolean complete) {

    public void print(PrintWriter out) {
        out.printf("Sightline demo: %s -> %s%n", input, this.out);
        out.printf("  frames in     %d (%d published, %d rejected at ingest%s)%n", ingest.candidates(),
                ingest.published(), ingest.rejected(),
                ingest.skipped() > 0 ? ", " + ingest.skipped() + " non-image files skipped" : "");
        out.printf("  events        %d with %d faces; %d annotated images%n", events, faces, annotated);
        if (!outputs.isEmpty()) {
            out.printf("  named outputs %s%n", outputs);
        }
        out.printf("  dead letters  %d %s%n", deadLetters.size(), deadLettersByReason.isEmpty() ? "" : deadLettersByReason);
        for (DeadLetter d : deadLetters) {
            out.printf("                - %s at %s: %s%n", d.getReasonCode(), d.getStage(), d.getMessage());
        }
        out.printf("  throughput    %.2f frames/s on %d stream threads, %.2f CPU seconds per second%n",
                framesPerSecond, streamThreads, cpuPerWall);
        out.printf("  start-up      %.2f s to processor running; first event %.2f s after JVM start%n",
                startup.toMillis() / 1000.0, firstEvent == null ? Double.NaN : firstEvent.toMillis() / 1000.0);
        out.printf("  peak RSS      %d MiB%n", peakRssMiB);
        out.printf("  outputs       %s, %s, %s%n", this.out.resolve("events.jsonl"),
                this.out.resolve("annotated"), this.out.resolve("dead-letters.jsonl"));
        if (!complete) {
            out.printf("  INCOMPLETE: not every frame was accounted for before the timeout%n");
        }
        out.flush();
    }

    public ObjectNode toJson() {
        var json = JsonNodeFactory.instance;
        ObjectNode node = json.objectNode()
                .put("input", input.toString())
                .put("out", out.toString())
                .put("framesIn", ingest.candidates())
                .put("published", ingest.published())
                .put("rejectedAtIngest", ingest.rejected())
                .put("skipped", ingest.skipped())
                .put("events", events)
                .put("faces", faces)
                .put("annotated", annotated)
                .put("deadLetters", deadLetters.size())
                .put("framesPerSecond", framesPerSecond)
                .put("cpuPerWall", Math.round(cpuPerWall * 100) / 100.0)
                .put("streamThreads", streamThreads)
                .put("startupMs", startup.toMillis())
                .put("firstEventMs", firstEvent == null ? -1 : firstEvent.toMillis())
                .put("peakRssMiB", peakRssMiB)
                .put("complete", complete);
        ObjectNode reasons = node.putObject("deadLettersByReason");
        deadLettersByReason.forEach(reasons::put);
        ObjectNode named = node.putObject("outputs");
        outputs.forEach(named::put);
        return node;
    }
}
