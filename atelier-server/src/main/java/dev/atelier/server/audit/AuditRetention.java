package dev.atelier.server.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Enforces {@code --audit-retention}: deletes audit events older than the retention when gc runs
 * ({@code atelier gc}, {@code POST /api/v1/gc}) and once a day in the background (first a minute
 * after start). Several replicas may all do it; deleting twice is harmless. Empty retention keeps
 * every event. Thread-safe.
 */
public final class AuditRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
    static final Duration PERIOD = Duration.ofDays(1);

    private final AuditService audit;
    private final Optional<Duration> retention;
    private final ScheduledExecutorService scheduler;

    private AuditRetention(AuditService audit, Optional<Duration> retention, ScheduledExecutorService scheduler) {
        this.audit = audit;
        this.retention = retention;
        this.scheduler = scheduler;
    }

    /** Starts the daily run (none when events are kept forever). */
    public static AuditRetention start(AuditService audit, Optional<Duration> retention) {
        requireNonNull(audit, "audit is null");
        requireNonNull(retention, "retention is null");
        if (retention.isEmpty()) {
            return new AuditRetention(audit, retention, null);
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("atelier-audit-retention").daemon(true).factory());
        AuditRetention enforcer = new AuditRetention(audit, retention, scheduler);
        scheduler.scheduleAtFixedRate(enforcer::collectInBackground, 60, PERIOD.toSeconds(), TimeUnit.SECONDS);
        return enforcer;
    }

    /** Deletes the events older than the retention; returns how many. */
    public long collect() {
        return retention.map(audit::deleteOlderThan).orElse(0L);
    }

    private void collectInBackground() {
        try {
            long deleted = collect();
            if (deleted > 0) {
                LOG.info("Deleted {} audit events older than {} days (--audit-retention)", deleted, retention.orElseThrow().toDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not delete old audit events: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
