package dev.atelier.server.jobs;

import dev.atelier.server.compute.local.LocalComputeConfig;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How this server runs jobs (docs/jobs.md).
 *
 * @param localMaxConcurrentJobs jobs this server runs at once on the {@code local} target; more wait in a FIFO queue
 * @param snapshotMaxBytes       largest code snapshot (sum of its file sizes) a job may have
 * @param lease                  how long a claimed job stays owned by this server without renewal; a job whose
 *                               lease expired is marked failed (its server stopped)
 * @param publicUrl              URL processes outside this host (Kubernetes pods) use to reach the server;
 *                               empty means the URL the server listens on
 * @param jobsDir                folder of the jobs' working directories; empty means {@code <work root>/jobs}; never inside
 *                               the data directory
 * @param local                  how local workloads run: work root, sandbox, limits (docs/security.md)
 */
public record JobsConfig(int localMaxConcurrentJobs, long snapshotMaxBytes, Duration lease, Optional<String> publicUrl,
                         Optional<java.nio.file.Path> jobsDir, LocalComputeConfig local) {
    public static final int DEFAULT_LOCAL_MAX_CONCURRENT_JOBS = 2;
    public static final long DEFAULT_SNAPSHOT_MAX_BYTES = 1L << 30;
    public static final JobsConfig DEFAULTS = new JobsConfig(DEFAULT_LOCAL_MAX_CONCURRENT_JOBS, DEFAULT_SNAPSHOT_MAX_BYTES,
            Duration.ofSeconds(30), Optional.empty(), Optional.empty(), LocalComputeConfig.DEFAULTS);

    public JobsConfig {
        requireNonNull(lease, "lease is null");
        requireNonNull(publicUrl, "publicUrl is null");
        requireNonNull(jobsDir, "jobsDir is null");
        requireNonNull(local, "local is null");
        if (localMaxConcurrentJobs < 1) {
            throw new IllegalArgumentException("localMaxConcurrentJobs must be at least 1: " + localMaxConcurrentJobs);
        }
        if (snapshotMaxBytes < 1) {
            throw new IllegalArgumentException("snapshotMaxBytes must be positive: " + snapshotMaxBytes);
        }
        if (lease.toMillis() < 100) {
            throw new IllegalArgumentException("lease must be at least 100 ms: " + lease);
        }
    }

    public JobsConfig withLocalMaxConcurrentJobs(int max) {
        return new JobsConfig(max, snapshotMaxBytes, lease, publicUrl, jobsDir, local);
    }

    public JobsConfig withSnapshotMaxBytes(long max) {
        return new JobsConfig(localMaxConcurrentJobs, max, lease, publicUrl, jobsDir, local);
    }

    public JobsConfig withLease(Duration newLease) {
        return new JobsConfig(localMaxConcurrentJobs, snapshotMaxBytes, newLease, publicUrl, jobsDir, local);
    }

    public JobsConfig withLocal(LocalComputeConfig newLocal) {
        return new JobsConfig(localMaxConcurrentJobs, snapshotMaxBytes, lease, publicUrl, jobsDir, newLocal);
    }

    public JobsConfig withPublicUrl(String url) {
        return new JobsConfig(localMaxConcurrentJobs, snapshotMaxBytes, lease, Optional.of(url), jobsDir, local);
    }
}
