package io.sightline.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a soak run does and when: the full pipeline for {@code length} on {@code cameras} cameras at {@code fps}
 * each, and after {@code warmup} the four faults one after another, spread evenly, repeated while time remains, ending
 * a drain's length before the end.
 *
 * @param launcher the command that runs {@code sightline} (java, its class path and main class): every part runs
 *                 in its own process, so a fault is a real signal to a real process
 */
public record SoakPlan(Duration length, Duration warmup, int cameras, double fps, boolean exactlyOnce,
        Path assets, Path workDir, List<String> launcher) {

    /** The faults injected, each on its own. */
    public enum FaultKind {
        /** SIGKILL of one of the two processors; restarted 10 s later. */
        PROCESSOR_KILL(Duration.ofSeconds(10)),
        /** SIGTERM of the broker, then a restart on its data directory as soon as it has exited. */
        BROKER_RESTART(Duration.ZERO),
        /** The schema registry stopped for 30 s. */
        REGISTRY_DOWN(Duration.ofSeconds(30)),
        /** The edge site's link to the centre cut for 60 s (every connection dropped, none accepted). */
        EDGE_LINK_CUT(Duration.ofSeconds(60));

        private final Duration lasting;

        FaultKind(Duration lasting) {
            this.lasting = lasting;
        }

        public Duration lasting() {
            return lasting;
        }
    }

    /** A fault, {@code at} after the start. */
    public record Fault(FaultKind kind, Duration at) {
    }

    /** Time left at the end for every frame to come out. */
    public static final Duration DRAIN = Duration.ofMinutes(1);
    private static final Duration LONGEST_GAP = Duration.ofMinutes(5);
    private static final Duration SHORTEST_GAP = Duration.ofSeconds(75);

    public SoakPlan {
        Objects.requireNonNull(launcher, "launcher");
        if (cameras < 1) {
            throw new IllegalArgumentException("--cameras must be at least 1, got " + cameras);
        }
        if (fps <= 0) {
            throw new IllegalArgumentException("--fps must be positive, got " + fps);
        }
        if (warmup.isNegative() || length.compareTo(warmup.plus(DRAIN).plus(SHORTEST_GAP.multipliedBy(4))) < 0) {
            throw new IllegalArgumentException("a soak of " + length.toMinutes() + " min cannot hold the "
                    + warmup.toMinutes() + " min warm-up, the four faults at least " + SHORTEST_GAP.toSeconds()
                    + " s apart and a " + DRAIN.toSeconds() + " s drain: make --minutes longer or --warmup shorter");
        }
        launcher = List.copyOf(launcher);
    }

    /**
     * From when resident memory is judged: after warm-up and after every kind of fault has happened once (and 30 s
     * to settle), so that a process that took over another's partitions, or was told to reconnect, has already grown
     * into that once; what grows after that is a leak.
     */
    public Duration memoryJudgedFrom() {
        List<Fault> faults = faults();
        FaultKind[] kinds = FaultKind.values();
        if (faults.size() < kinds.length) {
            return warmup;
        }
        Fault lastOfFirstRound = faults.get(kinds.length - 1);
        return lastOfFirstRound.at().plus(lastOfFirstRound.kind().lasting()).plusSeconds(30);
    }

    /** The faults in order: every kind once per round, rounds while the time between warm-up and drain lasts. */
    public List<Fault> faults() {
        Duration window = length.minus(warmup).minus(DRAIN);
        Duration gap = window.dividedBy(4).compareTo(LONGEST_GAP) > 0 ? LONGEST_GAP : window.dividedBy(4);
        int slots = (int) (window.toSeconds() / gap.toSeconds());
        List<Fault> faults = new ArrayList<>();
        FaultKind[] kinds = FaultKind.values();
        for (int i = 0; i < slots; i++) {
            faults.add(new Fault(kinds[i % kinds.length], warmup.plus(gap.multipliedBy(i)).plus(gap.dividedBy(4))));
        }
        return faults;
    }
}
