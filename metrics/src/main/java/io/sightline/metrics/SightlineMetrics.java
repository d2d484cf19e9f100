package io.sightline.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Prometheus registry every Sightline process exposes on {@code /metrics}: JVM (memory, GC, threads, classes), CPU,
 * uptime, and the process's resident and native memory (TensorFlow's buffers live outside the Java heap), with a
 * {@code component} tag naming the command.
 */
public final class SightlineMetrics {

    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE_SIZE = 4096;

    private SightlineMetrics() {}

    public static PrometheusMeterRegistry create(String component) {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("component", component);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (Files.isReadable(STATM)) {
            Gauge.builder("sightline.process.resident.memory", SightlineMetrics::residentBytes).baseUnit("bytes")
                    .description("Resident set size of the process (Java heap, native libraries and their buffers)")
                    .register(registry);
            Gauge.builder("sightline.native.memory", SightlineMetrics::nativeBytes).baseUnit("bytes")
                    .description("Resident memory outside the committed Java heap: TensorFlow, Wasm, direct buffers, "
                            + "metaspace, thread stacks")
                    .register(registry);
        }
        return registry;
    }

    private static double residentBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE_SIZE;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double nativeBytes() {
        double resident = residentBytes();
        return resident - Runtime.getRuntime().totalMemory();
    }
}
