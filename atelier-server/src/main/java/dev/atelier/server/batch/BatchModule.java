package dev.atelier.server.batch;

import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.http.Authorizer;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.jobs.JobData;
import dev.atelier.server.jobs.JobsModule;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.serving.DeploymentResolver;
import dev.atelier.server.store.Database;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Batch endpoints wired for the composition root (docs/batch-endpoints.md): the store, the service, the routes, and
 * batch scoring registered with the job queue as a kind of job.
 */
public final class BatchModule {
    private final BatchService service;
    private final List<RouteTable> routes;

    private BatchModule(BatchService service, List<RouteTable> routes) {
        this.service = service;
        this.routes = routes;
    }

    /**
     * @param workRoot  where running jobs keep their input, model and part files (below the server's jobs folder)
     * @param serverUrl the URL clients reach the server at (the endpoints' scoring_uri)
     */
    public static BatchModule create(Database database, JobsModule jobs, RegistryService registry, ArtifactService artifacts, JobData data,
                                     Workloads workloads, SecretService secrets, Authorizer authorizer, Path workRoot,
                                     Supplier<String> serverUrl, Clock clock) {
        requireNonNull(jobs, "jobs is null");
        BatchStore store = new JdbcBatchStore(database);
        ModelRuntimes runtimes = ModelRuntimes.standard();
        DeploymentResolver models = new DeploymentResolver(registry, runtimes, jobs.snapshots(), jobs.environments(), jobs.computes(),
                workloads);
        BatchService service = new BatchService(store, models, registry, runtimes, jobs.snapshots(), jobs.environments(), jobs.computes(),
                workloads, jobs.jobs(), data, secrets, clock);
        jobs.register(new BatchScoringKind(store, new BatchScoringKind.Resources(registry, artifacts, runtimes, workRoot,
                jobs.computes(), workloads, jobs.environments(), jobs.snapshots())));
        return new BatchModule(service, List.of(new BatchRoutes(service, jobs.jobs(), authorizer, serverUrl, new StagedFolders(workRoot))));
    }

    public BatchService batch() {
        return service;
    }

    public List<RouteTable> routes() {
        return routes;
    }
}
