package io.sightline.app;

import io.sightline.stream.ClockSkewLimits;
import picocli.CommandLine.Option;

/** How far a frame's capture time may lie from when it was written before its event carries a {@code clockSkew}. */
final class ClockSkewOptions {

    @Option(names = "--max-clock-ahead", paramLabel = "SECONDS",
            defaultValue = "" + ClockSkewLimits.DEFAULT_AHEAD_SECONDS,
            description = "Flag an event with clockSkew when its frame's capture time lies more than this ahead of "
                    + "the time the frame was written: a camera clock that runs fast or a wrong time zone "
                    + "(default: ${DEFAULT-VALUE}). The frame is processed either way.")
    long aheadSeconds = ClockSkewLimits.DEFAULT_AHEAD_SECONDS;

    @Option(names = "--max-clock-behind", paramLabel = "SECONDS",
            defaultValue = "" + ClockSkewLimits.DEFAULT_BEHIND_SECONDS,
            description = "Flag an event with clockSkew when its frame's capture time lies more than this before "
                    + "the time the frame was written: a slow clock, a backlog or an archive "
                    + "(default: ${DEFAULT-VALUE}). The frame is processed either way.")
    long behindSeconds = ClockSkewLimits.DEFAULT_BEHIND_SECONDS;

    ClockSkewLimits limits() {
        return ClockSkewLimits.ofSeconds(aheadSeconds, behindSeconds);
    }
}
