package io.sightline.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sightline.cluster.Preflight;
import io.sightline.ingest.DeadLetterCounts;
import io.sightline.ingest.KafkaFrameSink;
import io.sightline.ingest.KafkaReadingsSink;
import io.sightline.ingest.MqttReport;
import io.sightline.ingest.MqttSource;
import io.sightline.ingest.MqttSourceConfig;
import io.sightline.metrics.IngestMeters;
import io.sightline.metrics.MetricsEndpoint;
import io.sightline.metrics.SightlineMetrics;
import io.sightline.schemas.DeadLetterReason;
import io.sightline.schemas.FrameLimits;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes camera frames and sensor readings from an MQTT broker until stopped. */
@Command(name = "mqtt", mixinStandardHelpOptions = true,
        description = {"Subscribe to an MQTT broker: JPEG/PNG payloads become Frame records, JSON payloads sensor "
                + "readings, attached to the same camera's frame nearest in time within --attach-window, else "
                + "published on their own to the readings topic. The camera id is the topic level the filter's "
                + "first + matches (cameras/+/# takes door from cameras/door/frame), or --camera.",
                "Readings JSON: {\"at\": \"2026-11-30T08:00:01Z\", \"temperature\": {\"value\": 21.5, \"unit\": "
                        + "\"C\"}, \"humidity\": 40, \"motion\": true} (at optional: ISO-8601 or epoch ms)."})
final class IngestMqttCommand implements Callable<Integer> {

    @Parameters(paramLabel = "URL", description = "The MQTT broker, e.g. tcp://192.168.1.5:1883 (or mqtt://, ssl://).")
    URI broker;

    @Option(names = "--topic", paramLabel = "FILTER", required = true,
            description = "Topic filter to subscribe to, e.g. cameras/+/#.")
    String topic;

    @Option(names = "--attach-window", paramLabel = "SECONDS", defaultValue = "2",
            description = "Readings go onto the camera's nearest frame at most this far away in time; frames are "
                    + "held this long to find it; 0 publishes all readings on their own (default: ${DEFAULT-VALUE}).")
    double attachWindowSeconds;

    @Option(names = "--readings-topic", paramLabel = "TOPIC",
            description = "Where readings without a frame go (default: PREFIX.readings, created when missing).")
    String readingsTopic;

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
        if (!(attachWindowSeconds >= 0) || Double.isInfinite(attachWindowSeconds)) {
            throw new IllegalArgumentException("--attach-window must be 0 or more seconds, got " + attachWindowSeconds);
        }
        Duration window = Duration.ofMillis((long) (attachWindowSeconds * 1000));
        double fps = options.fps();
        long maxFrames = live.maxFrames();
        Optional<Duration> duration = live.duration();
        // Bad options fail here, before the cluster is contacted.
        new MqttSourceConfig(broker, topic, Optional.ofNullable(options.camera), window, fps, FrameLimits.defaults());
        String readings = readingsTopic != null ? readingsTopic : kafka.topics().readings();
        kafka.requireIngestTopics();
        Preflight.ensureTopic(kafka.bootstrapServers, readings, Duration.ofSeconds(kafka.startupTimeoutSeconds),
                "create it or pass --readings-topic");
        FrameLimits limits = kafka.limits();
        var source = new MqttSource(new MqttSourceConfig(broker, topic, Optional.ofNullable(options.camera), window,
                fps, limits), Clock.systemUTC());
        PrintWriter err = spec.commandLine().getErr();
        Shutdown shutdown = new Shutdown();
        shutdown.exitZeroWhenStopped();
        long started = System.nanoTime();
        var registry = SightlineMetrics.create("ingest");
        // Reconnects are the MQTT broker's, shared by every camera of the subscription.
        String cameras = options.camera != null ? options.camera : "*";
        new IngestMeters(registry).reconnects(cameras, source, s -> s.report().reconnects());
        new IngestMeters(registry).skippedOverFps(cameras, source, s -> s.report().skippedOverFps());
        try (MetricsEndpoint endpoint = metrics.serve(registry, err);
                var sink = KafkaFrameSink.open(kafka.bootstrapServers, kafka.serdes(), kafka.topics(), limits,
                        LiveRun.MAX_IN_FLIGHT).observedBy(KafkaFrameSink.Observer.metered(new IngestMeters(registry)));
                var alone = new KafkaReadingsSink(kafka.bootstrapServers, kafka.serdes(), readings)) {
            shutdown.onRequest(source::close);
            err.printf("Subscribed to %s on %s: frames to %s, readings without a frame to %s; Ctrl-C stops.%n",
                    topic, broker, kafka.topics().frames(), readings);
            err.flush();
            MqttReport report;
            try (var progress = new Progress(err, () -> progressLine(source.report(), started))) {
                report = source.run(sink, alone, maxFrames, duration);
            }
            sink.flush();
            alone.flush();
            print(report, sink.acknowledged(), sink.rejectedByReason(), readings);
            return 0;
        } finally {
            shutdown.request();
            shutdown.finished();
        }
    }

    private static String progressLine(MqttReport r, long started) {
        return String.format("mqtt: %d frames, %d readings attached, %d alone, %d skipped, %d rejected, %.1f "
                + "frames/s, %s", r.frames(), r.readingsAttached(), r.readingsAlone(), r.skippedOverFps(),
                r.rejectedTotal(), r.frames() / LiveRun.seconds(started), r.connected() ? "connected"
                        : "reconnecting");
    }

    private void print(MqttReport report, long published, Map<DeadLetterReason, Integer> byReason, String readings) {
        long rejected = DeadLetterCounts.total(byReason);
        var out = spec.commandLine().getOut();
        if (options.json) {
            var json = JsonNodeFactory.instance.objectNode().put("broker", broker.toString()).put("topic", topic)
                    .put("published", published).put("skipped", report.skippedOverFps())
                    .put("rejected", rejected).put("readingsAttached", report.readingsAttached())
                    .put("readingsAlone", report.readingsAlone()).put("unsent", report.unsent())
                    .put("reconnects", report.reconnects());
            DeadLetterCounts.put(json, byReason);
            out.println(json);
        } else {
            out.printf("mqtt %s %s: published %d frames to %s; %d reading messages attached to frames, %d to %s; "
                    + "skipped %d over --fps; rejected %d %s to %s; %d reconnects%n", broker, topic, published,
                    kafka.topics().frames(), report.readingsAttached(), report.readingsAlone(), readings,
                    report.skippedOverFps(), rejected, byReason, kafka.topics().deadLetters(), report.reconnects());
        }
        out.flush();
    }
}
