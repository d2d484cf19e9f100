package io.sightline.app;

import io.sightline.stream.FrameSpread;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Whether frames of stateless pipelines run on every stream thread, and how long their events wait for order. */
final class SpreadOptions {

    @Option(names = "--order-timeout", paramLabel = "SECONDS",
            defaultValue = "" + FrameSpread.DEFAULT_ORDER_TIMEOUT_SECONDS,
            description = "How long a camera's events wait for an earlier frame's event (detected on another thread "
                    + "or instance) before they are published without it; that one is then published when it comes, "
                    + "flagged late (default: ${DEFAULT-VALUE}).")
    long orderTimeoutSeconds = FrameSpread.DEFAULT_ORDER_TIMEOUT_SECONDS;

    @Option(names = "--frames-in-place",
            description = "Run every frame on its camera's partition: one stream thread per camera at a time, as for "
                    + "pipelines that keep state (default: frames of stateless pipelines go to every stream thread).")
    boolean inPlace;

    FrameSpread spread() {
        FrameSpread spread = FrameSpread.ofSeconds(orderTimeoutSeconds);
        return inPlace ? new FrameSpread(false, Duration.ofSeconds(orderTimeoutSeconds)) : spread;
    }
}
