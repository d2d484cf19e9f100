package io.sightline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Process-level measurements the demo and bench report. */
public final class RunStats {

    private RunStats() {}

    /** Time since the JVM started, so start-up figures include class loading and native library loading. */
    public static Duration sinceJvmStart() {
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        return Duration.between(Instant.ofEpochMilli(started), Instant.now());
    }

    /**
     * CPU time used by every thread of this process so far (nanoseconds), or -1 where the JVM does not tell. Unlike
     * wall time it barely moves when other processes share the cores.
     */
    public static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Peak resident set size in MiB (VmHWM), or -1 where /proc is unavailable. */
    public static long peakRssMiB() {
        long kib = procStatusKiB("VmHWM:");
        return kib < 0 ? -1 : kib / 1024;
    }

    /** Resident set size now in KiB (VmRSS), or -1 where /proc is unavailable. */
    public static long rssKiB() {
        return procStatusKiB("VmRSS:");
    }

    private static long procStatusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
