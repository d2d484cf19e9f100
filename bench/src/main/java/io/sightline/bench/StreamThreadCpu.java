package io.sightline.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How busy each stream thread of one Kafka Streams application in this JVM was over a stretch of time: its CPU time
 * over the wall time. A thread near 1.0 worked the whole time; one near 0 idled, e.g. because the cameras' frames all
 * landed on another thread's partitions. Threads of other applications in the same JVM are not counted.
 */
final class StreamThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String STREAM_THREAD = "StreamThread-";

    private final Pattern names;
    private final long startNanos;
    private final Map<Long, Long> cpuAtStart;

    private StreamThreadCpu(Pattern names, long startNanos, Map<Long, Long> cpuAtStart) {
        this.names = names;
        this.startNanos = startNanos;
        this.cpuAtStart = cpuAtStart;
    }

    /** Starts measuring the stream threads of {@code applicationId} running now. */
    static StreamThreadCpu start(String applicationId) {
        Pattern names = streamThreadNames(applicationId);
        Map<Long, Long> cpu = new LinkedHashMap<>();
        for (Thread thread : streamThreads(names)) {
            long nanos = THREADS.getThreadCpuTime(thread.getId());
            if (nanos >= 0) {
                cpu.put(thread.getId(), nanos);
            }
        }
        return new StreamThreadCpu(names, System.nanoTime(), cpu);
    }

    /** Each measured thread's busy share since {@link #start}, by its name's {@code StreamThread-N} part. */
    List<BenchReport.ThreadShare> shares() {
        double wall = Math.max(1, System.nanoTime() - startNanos);
        List<BenchReport.ThreadShare> shares = new ArrayList<>();
        for (Thread thread : streamThreads(names)) {
            Long before = cpuAtStart.get(thread.getId());
            long now = THREADS.getThreadCpuTime(thread.getId());
            if (before != null && now >= 0) {
                shares.add(new BenchReport.ThreadShare(shortName(thread.getName()), (now - before) / wall));
            }
        }
        shares.sort((a, b) -> a.thread().compareTo(b.thread()));
        return shares;
    }

    static String shortName(String name) {
        int at = name.lastIndexOf(STREAM_THREAD);
        return at < 0 ? name : name.substring(at);
    }

    /**
     * A stream thread of the application is named {@code <application id>-<client uuid>-StreamThread-N}; its clients'
     * network threads ({@code …-StreamThread-1-producer}) do not match.
     */
    static Pattern streamThreadNames(String applicationId) {
        return Pattern.compile(Pattern.quote(applicationId) + "-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-"
                + STREAM_THREAD + "\\d+");
    }

    private static List<Thread> streamThreads(Pattern names) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> names.matcher(thread.getName()).matches())
                .toList();
    }
}
