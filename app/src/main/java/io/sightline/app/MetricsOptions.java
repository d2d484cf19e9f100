package io.sightline.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sightline.metrics.MetricsEndpoint;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** Where a long-running command serves its Prometheus metrics; off unless a port is given. */
final class MetricsOptions {

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "-1",
            description = "Serve Prometheus metrics at http://BIND:PORT/metrics; 0 picks a free port "
                    + "(default: off).")
    int port;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the metrics endpoint listens on (default: ${DEFAULT-VALUE}).")
    String bind;

    /** The endpoint serving {@code registry}, or null when no --metrics-port was given (try-with-resources skips null). */
    MetricsEndpoint serve(PrometheusMeterRegistry registry, PrintWriter err) {
        if (port < 0) {
            return null;
        }
        if (port > 65_535) {
            throw new IllegalArgumentException("--metrics-port must be between 0 and 65535, got " + port);
        }
        MetricsEndpoint endpoint = MetricsEndpoint.start(registry, bind, port);
        err.printf("Metrics at %s%n", endpoint.url());
        err.flush();
        return endpoint;
    }
}
