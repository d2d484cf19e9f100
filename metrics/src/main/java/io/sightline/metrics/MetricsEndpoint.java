package io.sightline.metrics;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;

/** {@code GET /metrics} in Prometheus text format, on a port of its own (process and ingest). */
public final class MetricsEndpoint implements AutoCloseable {

    private final Javalin web;
    private final String host;

    private MetricsEndpoint(Javalin web, String host) {
        this.web = web;
        this.host = host;
    }

    /** @param port 0 picks a free one */
    public static MetricsEndpoint start(PrometheusMeterRegistry registry, String bind, int port) {
        Javalin web = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = bind;
            cfg.jetty.port = port;
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(registry.scrape()));
        });
        try {
            web.start();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot serve metrics on " + bind + ":" + port + " (" + e.getMessage()
                    + "): choose another --metrics-port", e);
        }
        return new MetricsEndpoint(web, bind.equals("0.0.0.0") ? "localhost" : bind);
    }

    public URI url() {
        return URI.create("http://" + host + ":" + web.port() + "/metrics");
    }

    @Override
    public void close() {
        web.stop();
    }
}
