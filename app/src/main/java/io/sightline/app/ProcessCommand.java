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

    @Option(names = {"-D", "--kafka"}, paramLabel = "KEY=VALUE",
            description = "Kafka Streams / client setting passed through as is, e.g. -D processing.guarantee=exactly_once_v2.")
    Map<String, String> kafkaOverrides = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var config = new ProcessorConfig(applicationId, kafka.bootstrapServers, kafka.topics(), threads,
                kafka.limits(), kafkaOverrides);
        var serdes = SightlineSerdes.forUrls(kafka.registryUrl);
        Shutdown shutdown = new Shutdown();
        try (UdfStack udfs = UdfStack.open(assets.modelStoreConfig(), new DetectionOptions(minFace),
                        config.limits());
                SightlineProcessor processor = SightlineProcessor.start(config, TopologySerdes.from(serdes), udfs.runtime())) {
            processor.awaitRunning(Duration.ofMinutes(2));
            spec.commandLine().getErr().printf("Processing %s with %d thread(s), model %s; Ctrl-C stops.%n",
                    config.topics().frames(), threads, udfs.model().sha256());
            shutdown.awaitRequest();
            return 0;
        } finally {
            shutdown.finished();
        }
    }
}
