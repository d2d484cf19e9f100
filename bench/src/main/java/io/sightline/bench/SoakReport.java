package io.sightline.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a soak run measured, and its verdict: no acknowledged frame lost at the centre, no edge event missing there,
 * no duplicate with exactly-once, and the resident memory of the processes that ran throughout flat within 10 %
 * twice over: from the end of warm-up to the end (a step the faults cause counts), and from when a first round of
 * every fault is over ({@link SoakPlan#memoryJudgedFrom()}), where any growth is a leak.
 */
public record SoakReport(SoakPlan plan, Duration ran, Set<String> acknowledged, Map<String, AtomicLong> sendFailures,
        Seen central, EdgeCheck edge, List<FaultDone> faults, List<RssSample> rss) {

    /** Growth of resident memory after warm-up, or after the first round of faults, that fails the run. */
    public static final double RSS_GROWTH_LIMIT = 0.10;
    /** Processes that run from start to end, so their memory tells a leak. */
    static final List<String> THROUGHOUT = List.of("processor-b", "edge");

    public record RssSample(String part, Duration at, long mib) {
    }

    public record FaultDone(SoakPlan.FaultKind kind, Duration at, Duration took) {
    }

    /** The edge's events by now; how many never reached the centre; how many arrived more than once. */
    public record EdgeCheck(int made, int missing, int duplicates) {
    }

    /** The centre's outputs, frozen: outputs per frame id, dead letters by reason, event latencies. */
    public record Seen(Map<String, Integer> outputsPerFrame, Map<String, Integer> deadLettersByReason,
            List<Long> latencyMillis) {
    }

    /** The centre's outputs as they come (one reader thread writes, the harness reads). */
    static final class Outputs {
        private final Map<String, Integer> perFrame = new HashMap<>();
        private final Map<String, Integer> reasons = new TreeMap<>();
        private final List<Long> latencies = new ArrayList<>();

        synchronized void event(String frameId, long latencyMillis) {
            perFrame.merge(frameId, 1, Integer::sum);
            latencies.add(latencyMillis);
        }

        synchronized void deadLetter(String frameId, String reason) {
            if (frameId != null) {
                perFrame.merge(frameId, 1, Integer::sum);
            }
            reasons.merge(reason, 1, Integer::sum);
        }

        synchronized boolean seenAll(Set<String> frameIds) {
            return perFrame.keySet().containsAll(frameIds);
        }

        synchronized Seen snapshot() {
            return new Seen(Map.copyOf(perFrame), Map.copyOf(reasons), List.copyOf(latencies));
        }
    }

    public long lost() {
        return acknowledged.stream().filter(frame -> !central.outputsPerFrame().containsKey(frame)).count();
    }

    /** Outputs beyond the first for an acknowledged frame. */
    public long duplicates() {
        return acknowledged.stream().mapToLong(frame -> Math.max(0, central.outputsPerFrame().getOrDefault(frame, 0) - 1))
                .sum();
    }

    public long events() {
        return central.latencyMillis().size();
    }

    public long deadLetters() {
        return central.deadLettersByReason().values().stream().mapToLong(Integer::longValue).sum();
    }

    public long latencyPercentile(double p) {
        List<Long> sorted = central.latencyMillis().stream().sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    /** Growth of a part's resident memory once a first round of every fault is over. */
    public double rssGrowth(String part) {
        return rssGrowth(part, plan.memoryJudgedFrom());
    }

    /** Growth of a part's resident memory from the end of warm-up, whatever the faults did after it. */
    public double rssGrowthAfterWarmup(String part) {
        return rssGrowth(part, plan.warmup());
    }

    /**
     * Growth of a part's resident memory: the median of its last three samples against the median of its first three
     * from {@code from}; NaN with fewer than six samples from then.
     */
    private double rssGrowth(String part, Duration from) {
        List<Long> after = rss.stream().filter(s -> s.part().equals(part) && s.at().compareTo(from) >= 0)
                .map(RssSample::mib).toList();
        if (after.size() < 6) {
            return Double.NaN;
        }
        double first = median(after.subList(0, 3));
        double last = median(after.subList(after.size() - 3, after.size()));
        return (last - first) / first;
    }

    private static double median(List<Long> three) {
        return three.stream().sorted().toList().get(1);
    }

    /** Why the run failed, or empty when it passed. */
    public List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (lost() > 0) {
            failures.add(lost() + " acknowledged frame(s) never came out as an event or dead letter");
        }
        if (edge.missing() > 0) {
            failures.add(edge.missing() + " event(s) made at the edge never reached the centre");
        }
        if (plan.exactlyOnce() && duplicates() > 0) {
            failures.add(duplicates() + " duplicate output(s) with exactly-once");
        }
        for (String part : THROUGHOUT) {
            growthFailure(part, rssGrowthAfterWarmup(part), plan.warmup()).ifPresent(failures::add);
            growthFailure(part, rssGrowth(part), plan.memoryJudgedFrom()).ifPresent(failures::add);
        }
        return failures;
    }

    private static Optional<String> growthFailure(String part, double growth, Duration from) {
        return growth > RSS_GROWTH_LIMIT
                ? Optional.of(String.format(Locale.ROOT, "%s resident memory grew %.1f %% from %.1f min on", part,
                        growth * 100, from.toSeconds() / 60.0))
                : Optional.empty();
    }

    public String text() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Soak of %d min (%s), %d cameras at %.1f fps + an edge camera: %s%n",
                ran.toMinutes(), plan.exactlyOnce() ? "exactly once" : "at least once", plan.cameras(), plan.fps(),
                failures().isEmpty() ? "PASSED" : "FAILED"));
        text.append(String.format(Locale.ROOT, "  frames acknowledged %d (send failures %s), events %d, dead letters %d %s%n",
                acknowledged.size(), sendFailures, events(), deadLetters(), central.deadLettersByReason()));
        text.append(String.format(Locale.ROOT, "  lost %d, duplicates %d; latency p50 %d ms, p99 %d ms, max %d ms%n",
                lost(), duplicates(), latencyPercentile(0.50), latencyPercentile(0.99), latencyPercentile(1.0)));
        text.append(String.format(Locale.ROOT, "  edge: %d events made, %d missing at the centre, %d duplicates there%n",
                edge.made(), edge.missing(), edge.duplicates()));
        for (FaultDone fault : faults) {
            text.append(String.format(Locale.ROOT, "  fault %-15s at %5.1f min, took %.1f s%n", fault.kind(),
                    fault.at().toMillis() / 60000.0, fault.took().toMillis() / 1000.0));
        }
        for (String part : THROUGHOUT) {
            text.append(String.format(Locale.ROOT,
                    "  %s RSS from start: %s MiB; growth from %.1f min (warm-up over) %.1f %%, from %.1f min (every fault once) %.1f %%%n",
                    part, rss.stream().filter(s -> s.part().equals(part)).map(s -> String.valueOf(s.mib())).toList(),
                    plan.warmup().toSeconds() / 60.0, rssGrowthAfterWarmup(part) * 100,
                    plan.memoryJudgedFrom().toSeconds() / 60.0, rssGrowth(part) * 100));
        }
        failures().forEach(failure -> text.append("  FAILED: ").append(failure).append('\n'));
        return text.toString();
    }

    public ObjectNode json() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("passed", failures().isEmpty());
        json.put("minutes", ran.toSeconds() / 60.0);
        json.put("exactlyOnce", plan.exactlyOnce());
        json.put("cameras", plan.cameras());
        json.put("fps", plan.fps());
        json.put("framesAcknowledged", acknowledged.size());
        sendFailures.forEach((type, count) -> json.with("sendFailures").put(type, count.get()));
        json.put("events", events());
        json.put("deadLetters", deadLetters());
        central.deadLettersByReason().forEach((reason, count) -> json.with("deadLettersByReason").put(reason, count));
        json.put("lost", lost());
        json.put("duplicates", duplicates());
        json.put("latencyP50Ms", latencyPercentile(0.50));
        json.put("latencyP99Ms", latencyPercentile(0.99));
        json.put("latencyMaxMs", latencyPercentile(1.0));
        json.putObject("edge").put("made", edge.made()).put("missing", edge.missing())
                .put("duplicates", edge.duplicates());
        var faultArray = json.putArray("faults");
        faults.forEach(fault -> faultArray.addObject().put("kind", fault.kind().name())
                .put("atSeconds", fault.at().toSeconds()).put("tookSeconds", fault.took().toMillis() / 1000.0));
        var samples = json.putArray("rss");
        rss.forEach(sample -> samples.addObject().put("part", sample.part()).put("atSeconds", sample.at().toSeconds())
                .put("mib", sample.mib()));
        json.put("memoryJudgedFromSeconds", plan.memoryJudgedFrom().toSeconds());
        THROUGHOUT.forEach(part -> json.with("rssGrowth").put(part, rssGrowth(part)));
        json.put("warmupSeconds", plan.warmup().toSeconds());
        THROUGHOUT.forEach(part -> json.with("rssGrowthAfterWarmup").put(part, rssGrowthAfterWarmup(part)));
        failures().forEach(json.withArray("failures")::add);
        return json;
    }
}
