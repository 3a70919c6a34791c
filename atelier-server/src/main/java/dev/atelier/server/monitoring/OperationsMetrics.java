package dev.atelier.server.monitoring;

import dev.atelier.server.config.Version;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The server's own meters on {@code /metrics}: the JVM (memory, GC, threads, classes), the process (CPU, open files,
 * uptime) and {@code atelier_build{version}} (1). Latency histograms use {@link dev.atelier.server.http.HttpServer#LATENCY_BUCKETS}.
 * Stateless.
 */
public final class OperationsMetrics {
    private OperationsMetrics() {
    }

    public static void bindTo(MeterRegistry meters) {
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        Gauge.builder("atelier_build", () -> 1).description("The running version of Atelier").tag("version", Version.current())
                .register(meters);
    }
}
