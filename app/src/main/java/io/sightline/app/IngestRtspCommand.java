package io.sightline.app;

import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.RtspSource;
import io.sightline.ingest.RtspSourceConfig;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes a live RTSP camera until stopped. */
@Command(name = "rtsp", mixinStandardHelpOptions = true,
        description = "Publish an RTSP camera (H.264, H.265, MJPEG … decoded with FFmpeg) as JPEG Frame records, "
                + "reconnecting by itself with exponential backoff; the newest frame wins when Kafka is slower than "
                + "the camera. Ctrl-C flushes and prints the summary.")
final class IngestRtspCommand implements Callable<Integer> {

    @Parameters(paramLabel = "URL", description = "The camera's stream, e.g. rtsp://user:pass@192.168.1.20:554/stream1.")
    URI url;

    @Option(names = "--rtsp-transport", paramLabel = "tcp|udp", defaultValue = "tcp",
            description = "How RTP reaches us: tcp (interleaved, passes firewalls, no packet loss) or udp "
                    + "(default: ${DEFAULT-VALUE}).")
    String transport;

    @Mixin
    LiveOptions live;

    @Mixin
    IngestOptions options;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metrics;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String camera = Optional.ofNullable(options.camera).orElse(DirectorySourceConfig.DEFAULT_CAMERA);
        RtspSourceConfig.Transport mode = transport(transport);
        return LiveRun.run(camera, RtspSourceConfig.withoutCredentials(url),
                limits -> new RtspSource(RtspSourceConfig.of(url, camera, mode, limits), Clock.systemUTC()), options,
                live, kafka, metrics, spec);
    }

    static RtspSourceConfig.Transport transport(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "tcp" -> RtspSourceConfig.Transport.TCP;
            case "udp" -> RtspSourceConfig.Transport.UDP;
            default -> throw new IllegalArgumentException("--rtsp-transport must be tcp or udp, got '" + text + "'");
        };
    }
}
