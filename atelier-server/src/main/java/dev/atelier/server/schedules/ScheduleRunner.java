package dev.atelier.server.schedules;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Fires due schedules: one per server, it asks {@link ScheduleService#fireDue} every second on its own thread, reading
 * time from the injected clock. Due times that passed before it was created count as missed while the server was down
 * ({@link CatchUp}). Several servers' runners share the work safely: each due time is claimed by one of them.
 * Thread-safe; {@link #close} waits for the fire in progress.
 */
final class ScheduleRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRunner.class);
    private static final long POLL_MILLIS = 1000;

    private final ScheduleService schedules;
    private final CatchUp catchUp;
    private final Instant started;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("atelier-schedules").factory());

    ScheduleRunner(ScheduleService schedules, CatchUp catchUp, Clock clock) {
        this.schedules = requireNonNull(schedules, "schedules is null");
        this.catchUp = requireNonNull(catchUp, "catchUp is null");
        this.started = clock.instant();
    }

    void start() {
        executor.scheduleWithFixedDelay(this::tickSafely, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Fires what is due now; returns how many jobs were submitted (or attempted). */
    int tick() {
        return schedules.fireDue(started, catchUp);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {  // the database is away for a moment: the next poll tries again
            LOG.warn("Firing due schedules failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
