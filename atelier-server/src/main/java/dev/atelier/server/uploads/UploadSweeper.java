package dev.atelier.server.uploads;

import dev.atelier.api.AtelierException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Enforces {@link UploadLimits#expiry()}: every {@link #INTERVAL} in the background, and on
 * {@code atelier gc} ({@code POST /api/v1/gc}), asks each {@link PendingUploads} to remove what was
 * last touched more than the expiry ago. Several replicas may sweep the same database at once: each
 * sweep is idempotent, rows are removed (or marked expired) before files, and a file is removed only
 * by the replica whose conditional row update won. Thread-safe; sweeps of one server run one at a time.
 */
public final class UploadSweeper implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofHours(1);
    /** What WorkspaceService accepts as a name. */
    private static final Pattern WORKSPACE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Logger LOG = LoggerFactory.getLogger(UploadSweeper.class);

    private final UploadQuota quota;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public UploadSweeper(UploadQuota quota, Clock clock) {
        this.quota = requireNonNull(quota, "quota is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Sweeps now in one workspace, or in all when {@code workspace} is empty; INVALID_PARAMETER_VALUE
     * for a name no workspace can have (it names folders on disk).
     */
    public synchronized SweepReport sweep(Optional<String> workspace) {
        workspace.filter(name -> !WORKSPACE_NAME.matcher(name).matches()).ifPresent(name -> {
            throw AtelierException.invalidParameter("Invalid value '" + name + "' for parameter 'workspace': not a workspace name");
        });
        long now = clock.millis();
        long expiredBefore = now - quota.limits().expiry().toMillis();
        SweepReport report = SweepReport.NONE;
        for (PendingUploads source : quota.sources()) {
            report = report.plus(source.sweep(workspace, expiredBefore, now));
        }
        return report;
    }

    /** Starts the background sweep: a first one soon after start, then one every {@link #INTERVAL}. */
    public synchronized UploadSweeper start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("atelier-upload-sweep").daemon().factory());
            scheduler.scheduleWithFixedDelay(this::sweepInBackground, 60, INTERVAL.toSeconds(), TimeUnit.SECONDS);
        }
        return this;
    }

    private void sweepInBackground() {
        try {
            SweepReport report = sweep(Optional.empty());
            if (report.uploadSessions() + report.snapshotBlobs() > 0) {
                LOG.info("removed {} expired upload sessions and {} unreferenced snapshot blobs ({} bytes)",
                        report.uploadSessions(), report.snapshotBlobs(), report.bytes());
            }
        } catch (RuntimeException e) {
            LOG.warn("the upload sweep failed; it runs again in {}", INTERVAL, e);
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
