package dev.atelier.server;

import dev.atelier.server.artifacts.S3Settings;
import dev.atelier.server.compute.local.LocalComputeConfig;
import dev.atelier.server.config.SecurityConfig;
import dev.atelier.server.jobs.JobsConfig;
import dev.atelier.server.retention.RetentionConfig;
import dev.atelier.server.schedules.CatchUp;
import dev.atelier.server.uploads.UploadLimits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How a server is started.
 *
 * @param host         address to bind; loopback by default
 * @param port         TCP port; 0 picks a free one
 * @param dataDir      folder holding the SQLite file, the master key file and, unless {@code artifactsDir}
 *                     is set, artifacts
 * @param databaseUrl  a {@code jdbc:postgresql://} URL; empty means SQLite in {@code dataDir}
 * @param artifactsDir folder of the local artifact store; empty means {@code dataDir/artifacts}
 * @param security     authentication and secrets settings
 * @param artifactsS3  when present, artifacts (and data on the default datastore) live in this S3-compatible
 *                     bucket instead of {@code artifactsDir} ({@code --artifacts-uri s3://bucket/prefix})
 * @param jobs         job execution settings: local concurrency, snapshot limit, leases (docs/jobs.md)
 * @param uploads      expiry of unfinished uploads and the per-workspace upload quota (docs/security.md, "Upload limits")
 * @param connections  where targets, pods and datastores may connect: kubeconfig folder, fetch image, datastore endpoints
 * @param scheduleCatchUp what a starting server does with schedules' due times that passed while no server ran (docs/schedules.md)
 * @param retention    how long gc keeps endpoint metrics, request logs and finished jobs' folders (docs/operations.md, "Retention")
 */
public record ServerConfig(String host, int port, Path dataDir, Optional<String> databaseUrl, Optional<Path> artifactsDir,
                           SecurityConfig security, Optional<S3Settings> artifactsS3, JobsConfig jobs, UploadLimits uploads,
                           ConnectionsConfig connections, CatchUp scheduleCatchUp, RetentionConfig retention) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;

    public ServerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(databaseUrl, "databaseUrl is null");
        requireNonNull(artifactsDir, "artifactsDir is null");
        requireNonNull(security, "security is null");
        requireNonNull(artifactsS3, "artifactsS3 is null");
        requireNonNull(jobs, "jobs is null");
        requireNonNull(uploads, "uploads is null");
        requireNonNull(connections, "connections is null");
        requireNonNull(scheduleCatchUp, "scheduleCatchUp is null");
        requireNonNull(retention, "retention is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
    }

    /** Artifacts on the local disk, default job settings. */
    public ServerConfig(String host, int port, Path dataDir, Optional<String> databaseUrl, Optional<Path> artifactsDir,
                        SecurityConfig security) {
        this(host, port, dataDir, databaseUrl, artifactsDir, security, Optional.empty(), JobsConfig.DEFAULTS, UploadLimits.DEFAULTS,
                ConnectionsConfig.DEFAULTS, CatchUp.LAST, RetentionConfig.DEFAULTS);
    }

    /** A server without authentication. */
    public ServerConfig(String host, int port, Path dataDir, Optional<String> databaseUrl, Optional<Path> artifactsDir) {
        this(host, port, dataDir, databaseUrl, artifactsDir, SecurityConfig.NONE);
    }

    /** Loopback, a free port, SQLite and artifacts under {@code dataDir}: what tests use. */
    public static ServerConfig forTests(Path dataDir) {
        return new ServerConfig(DEFAULT_HOST, 0, dataDir, Optional.empty(), Optional.empty());
    }

    public ServerConfig withDatabaseUrl(String url) {
        return new ServerConfig(host, port, dataDir, Optional.of(url), artifactsDir,
                security, artifactsS3, jobs, uploads, connections, scheduleCatchUp, retention);
    }

    public ServerConfig withSecurity(SecurityConfig newSecurity) {
        return new ServerConfig(host, port, dataDir, databaseUrl, artifactsDir,
                newSecurity, artifactsS3, jobs, uploads, connections, scheduleCatchUp, retention);
    }

    public ServerConfig withArtifactsS3(S3Settings settings) {
        return new ServerConfig(host, port, dataDir, databaseUrl, artifactsDir,
                security, Optional.of(settings), jobs, uploads, connections, scheduleCatchUp, retention);
    }

    public ServerConfig withJobs(JobsConfig newJobs) {
        return new ServerConfig(host, port, dataDir, databaseUrl, artifactsDir,
                security, artifactsS3, newJobs, uploads, connections, scheduleCatchUp, retention);
    }

    public ServerConfig withUploads(UploadLimits newUploads) {
        return new ServerConfig(host, port, dataDir, databaseUrl, artifactsDir,
                security, artifactsS3, jobs, newUploads, connections, scheduleCatchUp, retention);
    }

    public ServerConfig withConnections(ConnectionsConfig newConnections) {
        return new ServerConfig(host, port, dataDir, databaseUrl, artifactsDir,
                security, artifactsS3, jobs, uploads, newConnections, scheduleCatchUp, retention);
    }

    public ServerConfig withScheduleCatchUp(CatchUp catchUp) {
        return new ServerConfig(host, port, dataDir, databaseUrl, artifactsDir,
                security, artifactsS3, jobs, uploads, connections, catchUp, retention);
    }

    public ServerConfig withRetention(RetentionConfig newRetention) {
        return new ServerConfig(host, port, dataDir, databaseUrl, artifactsDir,
                security, artifactsS3, jobs, uploads, connections, scheduleCatchUp, newRetention);
    }

    /** Where artifacts are kept, for the start banner. */
    public String artifactsLocation() {
        return artifactsS3.map(S3Settings::displayUri).orElseGet(() -> resolvedArtifactsDir().toString());
    }

    public Path resolvedArtifactsDir() {
        return artifactsDir.orElse(dataDir.resolve("artifacts")).toAbsolutePath();
    }

    /** Where local workloads' folders live: outside the data directory (IllegalArgumentException when configured inside it). */
    public Path resolvedWorkRoot() {
        return jobs.local().resolveWorkRoot(dataDir);
    }

    public Path resolvedJobsDir() {
        Path jobsDir = jobs.jobsDir().orElse(resolvedWorkRoot().resolve("jobs")).toAbsolutePath();
        LocalComputeConfig.refuseInsideDataDir("jobs directory", jobsDir, dataDir);
        return jobsDir;
    }

    /** Whether {@code host} only accepts connections from this machine: every address it resolves to is loopback. */
    public boolean bindsLoopbackOnly() {
        return bindsLoopbackOnly(InetAddress::getAllByName);
    }

    /**
     * @param resolver how names are resolved (tests pass a fake one)
     * @throws IllegalArgumentException naming {@code --host} when {@code host} cannot be resolved
     */
    public boolean bindsLoopbackOnly(Resolver resolver) {
        return Arrays.stream(bindAddresses(resolver)).allMatch(InetAddress::isLoopbackAddress);
    }

    /** Whether {@code host} is every interface ({@code 0.0.0.0}, {@code ::}). */
    public boolean bindsWildcard() {
        return Arrays.stream(bindAddresses(InetAddress::getAllByName)).anyMatch(InetAddress::isAnyLocalAddress);
    }

    private InetAddress[] bindAddresses(Resolver resolver) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress[] addresses = resolver.resolve(name);
            if (addresses.length == 0) {
                throw new UnknownHostException("no address");
            }
            return addresses;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Cannot resolve --host " + host + " (" + e.getMessage() + "): give an address "
                    + "such as 127.0.0.1 or a name this machine resolves");  // no cause: the CLI prints the deepest message
        }
    }

    /** Resolves a host name to its addresses ({@link InetAddress#getAllByName} outside tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }
}
