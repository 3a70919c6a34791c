package dev.atelier.server.jobs;

import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.components.ComponentRoutes;
import dev.atelier.server.components.ComponentService;
import dev.atelier.server.components.JdbcComponentStore;
import dev.atelier.server.components.builtin.BuiltinComponents;
import dev.atelier.server.compute.ComputeRoutes;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.JdbcComputeStore;
import dev.atelier.server.compute.KubernetesConnections;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.environments.EnvironmentRoutes;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.environments.JdbcEnvironmentStore;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.snapshots.SnapshotFile;
import dev.atelier.server.snapshots.SnapshotRoutes;
import dev.atelier.server.snapshots.SnapshotService;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.uploads.UploadQuota;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Environments, compute targets, snapshots and jobs wired together for the composition root:
 * {@link #create} builds the services and routes, {@link #start} starts this server's scheduler
 * once its URL is known, {@link #close} ends the jobs running here.
 */
public final class JobsModule implements AutoCloseable {
    private final JobService jobs;
    private final JobScheduler scheduler;
    private final List<RouteTable> routes;
    private final AtomicReference<String> serverUrl;
    private final SnapshotService snapshots;
    private final EnvironmentService environments;
    private final ComputeService computes;
    private final LongSupplier unusedBuilds;
    private final ComponentService components;
    private final JobExecution execution;
    private final java.time.Duration lease;

    private JobsModule(JobExecution execution, java.time.Duration lease, JobService jobs, JobScheduler scheduler, List<RouteTable> routes, AtomicReference<String> serverUrl,
                       SnapshotService snapshots, EnvironmentService environments, ComputeService computes, LongSupplier unusedBuilds,
                       ComponentService components) {
        this.unusedBuilds = unusedBuilds;
        this.components = components;
        this.execution = execution;
        this.lease = lease;
        this.jobs = jobs;
        this.snapshots = snapshots;
        this.environments = environments;
        this.computes = computes;
        this.scheduler = scheduler;
        this.routes = List.copyOf(routes);
        this.serverUrl = serverUrl;
    }

    /**
     * @param local     the {@code local} target's launcher (its settings, its environment builds)
     * @param workloads the execution layer, which runs the jobs (local ones in folders below {@code jobsDir})
     */
    public static JobsModule create(JobsConfig config, Database database, Path dataDir, Path jobsDir, LocalCompute local,
                                    TrackingService tracking, ArtifactService artifacts, SecretService secrets,
                                    RunCredentials credentials, JobData data, UploadQuota quota,
                                    KubernetesConnections kubernetesConnections, Workloads workloads, Clock clock) {
        requireNonNull(config, "config is null");
        ComputeService computes = new ComputeService(new JdbcComputeStore(database), kubernetesConnections, config.localMaxConcurrentJobs(),
                local.settings(), clock);
        SnapshotService snapshots = new SnapshotService(database, dataDir.resolve("snapshots"), config.snapshotMaxBytes(), quota, clock,
                Optional.of(artifacts.repository()));
        quota.add(snapshots);
        EnvironmentService environments = new EnvironmentService(new JdbcEnvironmentStore(database), clock, local.environments(),
                (workspace, snapshotId) -> snapshots.find(workspace, snapshotId).map(snapshot -> snapshot.files().stream()
                        .map(SnapshotFile::path).collect(Collectors.toSet())));
        // Builds of python environments that no version is built from any more (docs/jobs.md, "Environments"), removed by
        // every POST /api/v1/gc (not at start: it reads every version and walks the builds' folder).
        LongSupplier unusedBuilds = () -> local.environments().collectGarbage(environments.allVersions());
        ComponentService components = new ComponentService(new JdbcComponentStore(database), snapshots, environments, clock,
                BuiltinComponents.reservedNames());
        JobStore store = new JdbcJobStore(database);
        PipelineStepStore steps = new JdbcPipelineStepStore(database);
        JobRuns runs = new JobRuns(tracking);
        AtomicReference<String> serverUrl = new AtomicReference<>("http://127.0.0.1");
        JobService jobs = new JobService(store, runs, computes, workloads, environments, snapshots, secrets, data, components, steps,
                clock);
        JobExecution execution = new JobExecution(ownerId(), store, runs, snapshots, environments, secrets, credentials,
                new JobOutputs(artifacts), data, serverUrl::get, clock);
        JobScheduler scheduler = new JobScheduler(jobs, execution, List.of(new CommandDriver(JobType.COMMAND, execution, computes, workloads, config.lease()),
                new CommandDriver(JobType.AUTOML, execution, computes, workloads, config.lease()),
                new ChildJobsDriver(JobType.SWEEP, execution, sweep -> new SweepRun(sweep, jobs, execution)),
                new ChildJobsDriver(JobType.PIPELINE, execution, pipeline -> new PipelineRun(pipeline, jobs, execution))), config.lease());
        List<RouteTable> routes = List.of(new EnvironmentRoutes(environments), new ComputeRoutes(computes), new SnapshotRoutes(snapshots),
                new JobRoutes(jobs), new JobTransferRoutes(new JobTransfers(jobs, runs, new JobOutputs(artifacts), data,
                        jobsDir.resolve(".transfers"), config.snapshotMaxBytes())),
                new ComponentRoutes(components));
        return new JobsModule(execution, config.lease(), jobs, scheduler, routes, serverUrl, snapshots, environments, computes, unusedBuilds, components);
    }

    /** Identifies this server process in job leases: host, process id and a random part. */
    private static String ownerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String owner = host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
        return owner.length() > 64 ? owner.substring(owner.length() - 64) : owner;
    }

    public List<RouteTable> routes() {
        return routes;
    }

    /** Takes part in workspace deletion: removes the workspace's snapshot blobs. */
    public SnapshotService snapshots() {
        return snapshots;
    }

    public JobService jobs() {
        return jobs;
    }

    /** Removes the environment builds no environment version is built from any more; returns how many. */
    public long collectUnusedBuilds() {
        return unusedBuilds.getAsLong();
    }

    public EnvironmentService environments() {
        return environments;
    }

    public ComputeService computes() {
        return computes;
    }

    /** Registered components, which pipeline steps reference. */
    public ComponentService components() {
        return components;
    }

    /** Registers a kind of job run by another domain (batch scoring); before {@link #start}. */
    public void register(JobKind kind) {
        scheduler.add(new KindDriver(kind, execution, lease));
    }

    /** Starts running jobs; {@code url} is how this server's child processes reach it. */
    public void start(String url) {
        serverUrl.set(requireNonNull(url, "url is null"));
        scheduler.start();
    }

    @Override
    public void close() {
        scheduler.close();
    }
}
