package dev.atelier.server.retention;

import dev.atelier.api.AtelierException;
import dev.atelier.api.Workspace;
import dev.atelier.server.data.DataLineage;
import dev.atelier.server.jobs.Job;
import dev.atelier.server.jobs.JobService;
import dev.atelier.server.monitoring.EndpointMonitoring;
import dev.atelier.server.workspace.WorkspaceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Enforces {@link RetentionConfig} when gc runs ({@code atelier gc}, {@code POST /api/v1/gc}): deletes endpoint metric rows
 * and request-log versions older than their windows, and the local working folders ({@code <jobs-dir>/<workspace>/<job>})
 * of jobs that ended longer ago than theirs. Only folders of jobs in a final state are touched: deployments, notebooks and
 * running jobs keep theirs. Ages come from the clock (tests move it). Several replicas may run it at once; deleting twice
 * is harmless. Thread-safe.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final RetentionConfig config;
    private final EndpointMonitoring monitoring;
    private final DataLineage lineage;
    private final WorkspaceService workspaces;
    private final JobService jobs;
    private final Path jobsDir;
    private final Clock clock;

    public Retention(RetentionConfig config, EndpointMonitoring monitoring, DataLineage lineage, WorkspaceService workspaces,
                     JobService jobs, Path jobsDir, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.monitoring = requireNonNull(monitoring, "monitoring is null");
        this.lineage = requireNonNull(lineage, "lineage is null");
        this.workspaces = requireNonNull(workspaces, "workspaces is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.jobsDir = requireNonNull(jobsDir, "jobsDir is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Deletes what is past its window; answers how much of each: {@code endpoint_metric_rows, request_logs, job_folders}. */
    public Map<String, Long> collect() {
        long now = clock.millis();
        Map<String, Long> removed = new LinkedHashMap<>();
        removed.put("endpoint_metric_rows", config.endpointMetrics().map(window -> monitoring.deleteMetricsBefore(cutoff(now, window)))
                .orElse(0L));
        removed.put("request_logs", config.requestLogs().map(window -> names().stream()
                .mapToLong(workspace -> monitoring.deleteRequestLogsBefore(workspace, cutoff(now, window), lineage)).sum()).orElse(0L));
        removed.put("job_folders", config.jobFiles().map(window -> deleteJobFolders(cutoff(now, window))).orElse(0L));
        return removed;
    }

    private static long cutoff(long now, Duration window) {
        return now - window.toMillis();
    }

    private List<String> names() {
        return workspaces.list().stream().map(Workspace::name).toList();
    }

    private long deleteJobFolders(long cutoff) {
        long deleted = 0;
        for (String workspace : names()) {
            Path folder = jobsDir.resolve(workspace);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            List<Path> children;
            try (Stream<Path> list = Files.list(folder)) {
                children = list.filter(Files::isDirectory).toList();
            } catch (IOException e) {
                LOG.warn("Cannot list {} for retention: {}", folder, e.toString());
                continue;
            }
            for (Path child : children) {
                if (endedBefore(workspace, child.getFileName().toString(), cutoff) && deleteTree(child)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private boolean endedBefore(String workspace, String name, long cutoff) {
        Optional<Job> job;
        try {
            job = Optional.of(jobs.get(workspace, name));
        } catch (AtelierException e) {
            job = Optional.empty();  // not a job's folder (a deployment's, a batch worker's) or no such job: kept
        }
        return job.filter(found -> found.status().isTerminal() && found.endedAt() != null && found.endedAt() < cutoff).isPresent();
    }

    private static boolean deleteTree(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
            return true;
        } catch (IOException e) {
            LOG.warn("Cannot delete {} for retention: {}", folder, e.toString());
            return false;
        }
    }
}
