package io.sightline.app;

import io.sightline.model.DetectionOptions;
import io.sightline.schemas.SightlineSerdes;
import io.sightline.stream.ProcessorConfig;
import io.sightline.stream.SightlineProcessor;
import io.sightline.stream.TopologySerdes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the stream processor against an existing cluster until stopped. */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = "Run the stream processor (frames -> UDF chain -> detections, annotated, dlq) until Ctrl-C.")
final class ProcessCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    AssetOptions assets;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = ProcessorConfig.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id; instances with the same id share the work (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--min-face", paramLabel = "N", defaultValue = "20", description = "Smallest face in pixels (default: ${DEFAULT-VALUE}).")
    float minFace;

    @Option(names = "--exactly-once",
            description = "Exactly-once processing (Kafka transactions, EOS v2): a crash neither loses nor repeats an "
                    + "output for read_committed consumers; outputs become visible at each commit (default: at least once).")
    boolean exactlyOnce;

    @Option(names = {"-D", "--kafka"}, paramLabel = "KEY=VALUE",
            description = "Kafka Streams / client setting passed through as is, e.g. -D processing.guarantee=exactly_once_v2.")
    Map<String, String> kafkaOverrides = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        kafka.requireReachable(kafka.topics().all());
        Map<String, String> overrides = new LinkedHashMap<>();
        if (exactlyOnce) {
            overrides.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        }
        overrides.putAll(kafkaOverrides);
        var config = new ProcessorConfig(applicationId, kafka.bootstrapServers, kafka.topics(), threads,
                kafka.limits(), overrides);
        var serdes = SightlineSerdes.forUrls(kafka.registryUrl);
        Shutdown shutdown = new Shutdown();
        var err = spec.commandLine().getErr();
        try {
            try (UdfStack udfs = UdfStack.open(assets.modelStoreConfig(), new DetectionOptions(minFace),
                            config.limits());
                    SightlineProcessor processor = SightlineProcessor.start(config, TopologySerdes.from(serdes),
                            udfs.runtime())) {
                processor.unexpectedStop().thenRun(shutdown::request);
                processor.awaitRunning(Duration.ofMinutes(2));
                err.printf("Processing %s with %d thread(s), %s, model %s; Ctrl-C stops.%n",
                        config.topics().frames(), threads, exactlyOnce ? "exactly once" : "at least once",
                        udfs.model().sha256());
                err.flush();
                shutdown.awaitRequest();
                if (processor.unexpectedStop().isDone()) {
                    err.println("sightline process: the stream processor stopped ("
                            + processor.unexpectedStop().join() + "); exiting with 1 so a supervisor restarts it");
                    return 1;
                }
            }
            err.println("sightline process: stopped cleanly (work committed, partitions handed over)");
            err.flush();
            return 0;
        } finally {
            shutdown.finished();
        }
    }
}
