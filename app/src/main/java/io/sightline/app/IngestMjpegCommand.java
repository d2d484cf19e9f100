package io.sightline.app;

import io.sightline.ingest.DirectorySourceConfig;
import io.sightline.ingest.MjpegSource;
import io.sightline.ingest.MjpegSourceConfig;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes a live MJPEG camera until stopped. */
@Command(name = "mjpeg", mixinStandardHelpOptions = true,
        description = "Publish an MJPEG-over-HTTP camera (multipart/x-mixed-replace: most IP cameras, ESP32-CAM, "
                + "ffmpeg -f mpjpeg) as Frame records, reconnecting by itself; the newest frame wins when Kafka is "
                + "slower than the camera. Ctrl-C flushes and prints the summary.")
final class IngestMjpegCommand implements Callable<Integer> {

    @Parameters(paramLabel = "URL", description = "The camera's stream, e.g. http://192.168.1.20:81/stream.")
    URI url;

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
        return LiveRun.run(camera, url.toString(), limits -> new MjpegSource(MjpegSourceConfig.of(url, camera,
                limits), Clock.systemUTC()), options, live, kafka, metrics, spec);
    }
}
