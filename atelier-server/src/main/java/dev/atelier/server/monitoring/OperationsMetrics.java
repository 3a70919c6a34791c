package dev.atelier.server.monitoring;

import com.zaxxer.hikari.HikariPoolMXBean;
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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server's own meters on {@code /metrics}: the JVM (memory, GC, threads, classes), the process (CPU, open files,
 * uptime), {@code atelier_build{version}} (1), the database connection pool ({@link #bindConnectionPool}) and the job
 * queue ({@link #bindJobQueue}); HTTP server threads are bound by {@link dev.atelier.server.http.HttpServer}. Latency histograms use {@link dev.atelier.server.http.HttpServer#LATENCY_BUCKETS}.
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

    /** {@code atelier_db_connections{state="active|idle|pending"}} (pending: threads waiting for a connection) and {@code atelier_db_connections_open}. */
    public static void bindConnectionPool(MeterRegistry meters, HikariPoolMXBean pool) {
        Gauge.builder("atelier_db_connections", pool, HikariPoolMXBean::getActiveConnections).tag("state", "active")
                .description("Database connections by state").register(meters);
        Gauge.builder("atelier_db_connections", pool, HikariPoolMXBean::getIdleConnections).tag("state", "idle")
                .description("Database connections by state").register(meters);
        Gauge.builder("atelier_db_connections", pool, HikariPoolMXBean::getThreadsAwaitingConnection).tag("state", "pending")
                .description("Database connections by state").register(meters);
        Gauge.builder("atelier_db_connections_open", pool, HikariPoolMXBean::getTotalConnections)
                .description("Database connections open (active and idle)").register(meters);
    }

    /**
     * {@code atelier_jobs{state="Queued|Preparing|Running|Completed|Failed|Canceled"}}: jobs of every workspace in each
     * state. {@code counts} (one query) is asked at most every {@value #JOB_COUNTS_SECONDS} s, whatever the scrape rate.
     */
    public static void bindJobQueue(MeterRegistry meters, List<String> states, Supplier<Map<String, Long>> counts) {
        Supplier<Map<String, Long>> cached = new CachedCounts(counts, Duration.ofSeconds(JOB_COUNTS_SECONDS));
        for (String state : states) {
            Gauge.builder("atelier_jobs", () -> cached.get().getOrDefault(state, 0L)).tag("state", state)
                    .description("Jobs in each state, all workspaces").register(meters);
        }
    }

    static final int JOB_COUNTS_SECONDS = 5;

    /** The last answer of {@code source}, asked again once {@code maxAge} passed. Thread-safe. */
    private static final class CachedCounts implements Supplier<Map<String, Long>> {
        private final Supplier<Map<String, Long>> source;
        private final long maxAgeNanos;
        private Map<String, Long> last = Map.of();
        private long askedAt;
        private boolean asked;

        CachedCounts(Supplier<Map<String, Long>> source, Duration maxAge) {
            this.source = source;
            this.maxAgeNanos = maxAge.toNanos();
        }

        @Override
        public synchronized Map<String, Long> get() {
            long now = System.nanoTime();
            if (!asked || now - askedAt > maxAgeNanos) {
                try {
                    last = Map.copyOf(source.get());
                } catch (RuntimeException e) {
                    // the database is down: the last counts stay until it answers again
                }
                askedAt = now;
                asked = true;
            }
            return last;
        }
    }
}
