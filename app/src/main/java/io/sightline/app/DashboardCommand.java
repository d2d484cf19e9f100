package io.sightline.app;

import io.sightline.dashboard.Dashboard;
import io.sightline.dashboard.DashboardAccess;
import io.sightline.dashboard.DashboardConfig;
import io.sightline.schemas.FrameLimits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Serves the live dashboard, the events API and /metrics over an existing cluster until stopped. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serve the live dashboard (camera grid, events, alerts, faces per minute, pipeline health), the "
                + "events API and Prometheus /metrics, until Ctrl-C.",
                "Several instances with the same --application-id split the cameras and answer for each other."})
final class DashboardCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8090",
            description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--advertised-host", paramLabel = "HOST",
            description = "Host name the other dashboard instances reach this one by (default: the --bind address, "
                    + "or this machine's name when binding every interface).")
    String advertisedHost;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = DashboardConfig.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id of the dashboards (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--processor-application-id", paramLabel = "ID", defaultValue = "sightline-processor",
            description = "Application id of the stream processor, whose lag is shown (default: ${DEFAULT-VALUE}).")
    String processorApplicationId;

    @Option(names = {"-D", "--kafka"}, paramLabel = "KEY=VALUE", split = EnvironmentDefaults.ENTRY_SEPARATOR,
            splitSynopsisLabel = ",",
            description = "Kafka Streams / client setting of the dashboard passed through as is.")
    Map<String, String> kafkaOverrides = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    /** Only the cameras' zones and lines are read: drawn over their snapshots, with their counts. */
    @Mixin
    PipelineOptions pipelineOptions;

    @Mixin
    HttpAccessOptions httpAccess;

    @Option(names = "--open-metrics",
            description = "Serve /metrics without the login that --users or --token-file put on everything else "
                    + "(default: behind it when there is one).")
    boolean openMetrics;

    @Override
    public Integer call() throws Exception {
        var access = new DashboardAccess(httpAccess.auth("sightline dashboard"), httpAccess.tls(), openMetrics);
        // Only the events are required: at a central cluster fed by edge sites, frames never arrive.
        kafka.requireReachable(List.of(kafka.topics().detections()));
        var config = DashboardConfig.of(kafka.bootstrapServers, kafka.registryUrls(), kafka.topicPrefix,
                        FrameLimits.defaults().fromCluster(kafka.bootstrapServers, List.of(kafka.topics().detections()))
                        .maxRecordBytes())
                .withListener(bind, port, advertisedHost)
                .withApplicationId(applicationId, processorApplicationId)
                .withKafkaOverrides(kafkaOverrides);
        Shutdown shutdown = new Shutdown();
        shutdown.exitZeroWhenStopped();
        var err = spec.commandLine().getErr();
        try (Dashboard dashboard = Dashboard.start(config, pipelineOptions.pipelines().zonesAsJson(), access)) {
            dashboard.awaitRunning(Duration.ofSeconds(kafka.startupTimeoutSeconds * 4L));
            err.printf("Dashboard at %s (events API under /api, Prometheus at %s); Ctrl-C stops.%n",
                    dashboard.url(), dashboard.metricsUrl());
            err.flush();
            shutdown.awaitRequest();
        } finally {
            shutdown.finished();
        }
        return 0;
    }
}
