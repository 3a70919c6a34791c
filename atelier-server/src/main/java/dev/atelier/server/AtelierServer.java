package dev.atelier.server;

import dev.atelier.api.Workspace;
import dev.atelier.server.artifacts.ArtifactRepository;
import dev.atelier.server.logging.OtlpTraceExport;
import dev.atelier.server.http.RequestObserver;
import dev.atelier.server.artifacts.ArtifactRoutes;
import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.artifacts.LocalArtifactRepository;
import dev.atelier.server.artifacts.S3ArtifactRepository;
import dev.atelier.server.artifacts.S3Bucket;
import dev.atelier.server.audit.AuditRetention;
import dev.atelier.server.audit.AuditRoutes;
import dev.atelier.server.audit.AuditService;
import dev.atelier.server.audit.JdbcAuditStore;
import dev.atelier.server.auth.AuthModule;
import dev.atelier.server.backup.BackupRoutes;
import dev.atelier.server.backup.BackupService;
import dev.atelier.server.components.builtin.BuiltinComponents;
import dev.atelier.server.compute.KubernetesConnections;
import dev.atelier.server.compute.local.LocalCompute;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import dev.atelier.server.compute.local.LocalRuns;
import dev.atelier.server.compute.kubernetes.KubernetesRuns;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.notebooks.InstanceCredentials;
import dev.atelier.server.notebooks.InstanceRoutes;
import dev.atelier.server.notebooks.JdbcInstanceStore;
import dev.atelier.server.notebooks.NotebookProxy;
import dev.atelier.server.notebooks.NotebookService;
import dev.atelier.server.web.notebooks.NotebookPages;
import dev.atelier.server.config.AbuseConfig;
import dev.atelier.server.config.ServerId;
import dev.atelier.server.data.DataModule;
import dev.atelier.server.http.Authorizer;
import dev.atelier.server.http.BrowserGuard;
import dev.atelier.server.http.HttpServer;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.batch.BatchModule;
import dev.atelier.server.jobs.DataServiceJobData;
import dev.atelier.server.jobs.JobStatus;
import dev.atelier.server.jobs.JobsModule;
import dev.atelier.server.jobs.RunCredentials;
import dev.atelier.server.jobs.TokenRunCredentials;
import dev.atelier.server.schedules.SchedulesModule;
import dev.atelier.server.designer.DesignerModule;
import dev.atelier.server.monitoring.EndpointMonitoring;
import dev.atelier.server.monitoring.MetricsListener;
import dev.atelier.server.monitoring.OperationsMetrics;
import dev.atelier.server.monitoring.OperationsRoutes;
import dev.atelier.server.registry.JdbcRegistryStore;
import dev.atelier.server.retention.Retention;
import dev.atelier.server.registry.ModelRoutes;
import dev.atelier.server.registry.ModelVersionRoutes;
import dev.atelier.server.registry.RegisteredModelRoutes;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.secrets.MasterKeys;
import dev.atelier.server.secrets.SecretRoutes;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.serving.DeploymentTokenIssuer;
import dev.atelier.server.serving.ServingListener;
import dev.atelier.server.serving.TokenDeploymentIssuer;
import dev.atelier.server.serving.wiring.ServingModule;
import dev.atelier.server.store.Database;
import dev.atelier.server.loggedmodels.JdbcLoggedModelStore;
import dev.atelier.server.loggedmodels.LoggedModelRoutes;
import dev.atelier.server.loggedmodels.LoggedModelService;
import dev.atelier.server.scorers.JdbcScorerStore;
import dev.atelier.server.scorers.ScorerRoutes;
import dev.atelier.server.scorers.ScorerService;
import dev.atelier.server.tracing.AssessmentService;
import dev.atelier.server.tracing.JdbcAssessmentStore;
import dev.atelier.server.tracing.JdbcTraceSpanStore;
import dev.atelier.server.tracing.JdbcTraceStore;
import dev.atelier.server.tracing.OtlpRoutes;
import dev.atelier.server.tracing.TraceRoutes;
import dev.atelier.server.tracing.TraceService;
import dev.atelier.server.tracking.ExperimentRoutes;
import dev.atelier.server.tracking.GarbageCollector;
import dev.atelier.server.tracking.GarbageRoutes;
import dev.atelier.server.tracking.JdbcTrackingStore;
import dev.atelier.server.tracking.RunArtifacts;
import dev.atelier.server.tracking.RunRoutes;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.uploads.UploadQuota;
import dev.atelier.server.uploads.UploadSweeper;
import dev.atelier.server.web.components.ComponentPages;
import dev.atelier.server.web.data.DataPages;
import dev.atelier.server.web.jobs.ComputePages;
import dev.atelier.server.web.jobs.JobPages;
import dev.atelier.server.web.jobs.PipelinePages;
import dev.atelier.server.web.designer.DesignerPages;
import dev.atelier.server.web.schedules.SchedulePages;
import dev.atelier.server.web.models.ModelPages;
import dev.atelier.server.web.serving.EndpointPages;
import dev.atelier.server.web.settings.SettingsPages;
import dev.atelier.server.web.tracing.TracePages;
import dev.atelier.server.web.batch.BatchPages;
import dev.atelier.server.web.wiring.PortalModule;
import dev.atelier.server.webhooks.JdbcWebhookStore;
import dev.atelier.server.webhooks.WebhookRoutes;
import dev.atelier.server.webhooks.WebhookService;
import dev.atelier.server.workspace.JdbcWorkspaceStore;
import dev.atelier.server.workspace.WorkspaceRoutes;
import dev.atelier.server.workspace.WorkspaceService;
import dev.atelier.server.workspace.WorkspaceVisibility;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The composition root: opens storage, wires every domain's store, service and routes, and starts
 * HTTP. Tests start the same object on a random port.
 */
public final class AtelierServer implements AutoCloseable {
    /** How often compute instances are checked (idle, schedules, leases); a lease lasts three periods. */
    private static final Duration NOTEBOOK_CHECKS = Duration.ofSeconds(30);
    private final ServerConfig config;
    private final Database database;
    private final AuditService audit;
    private final HttpServer http;
    private final List<Route> routes;
    /** Services with background work, closed after HTTP and before the database. */
    private final List<AutoCloseable> closeables;
    private final JobsModule jobs;
    private final SchedulesModule schedules;
    private final NotebookService notebooks;
    private final LocalCompute local;

    private AtelierServer(ServerConfig config, Database database, AuditService audit, HttpServer http, List<Route> routes,
                          List<AutoCloseable> closeables, JobsModule jobs, SchedulesModule schedules, LocalCompute local,
                          NotebookService notebooks) {
        this.config = config;
        this.database = database;
        this.audit = audit;
        this.http = http;
        this.routes = List.copyOf(routes);
        this.closeables = List.copyOf(closeables);
        this.jobs = jobs;
        this.schedules = schedules;
        this.local = local;
        this.notebooks = notebooks;
    }

    /** Opens the database, migrates it, and starts listening. */
    public static AtelierServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** The same on {@code clock}: tests move time with it (upload expiry) instead of sleeping. */
    public static AtelierServer start(ServerConfig config, Clock clock) {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        BrowserGuard browsers;
        try {
            if (!config.security().authEnabled() && !config.bindsLoopbackOnly()) {
                throw new IllegalStateException("Refusing to listen on " + config.host() + " without authentication: anyone who "
                        + "can reach it could read and change everything. Start with --auth to require credentials, "
                        + "or bind to 127.0.0.1.");
            }
            browsers = AllowedOrigins.guard(config);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        Database database = openDatabase(config);
        AuditService audit = AuditService.start(new JdbcAuditStore(database), Clock.systemUTC());
        List<AutoCloseable> closeables = new ArrayList<>();
        // Artifacts on S3 (--artifacts-uri s3://...) or in the local folder; docs/data.md.
        ArtifactRepository artifactRepository = config.artifactsS3()
                .<ArtifactRepository>map(settings -> new S3ArtifactRepository(S3Bucket.open(settings)))
                .orElseGet(() -> new LocalArtifactRepository(config.resolvedArtifactsDir()));
        if (artifactRepository instanceof S3ArtifactRepository s3) {
            closeables.add(s3);  // first in, closed last: after everything that may still write artifacts
        }
        try {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            OperationsMetrics.bindTo(meters);  // JVM, GC, threads, process, build info (docs/operations.md)
            // Abuse limits (docs/security.md): audit retention, dropped anonymous denials, the loopback /metrics listener.
            AbuseConfig abuse = config.security().abuse();
            AuditRetention auditRetention = AuditRetention.start(audit, abuse.auditRetention());
            closeables.add(auditRetention);
            FunctionCounter.builder("atelier_audit_anonymous_denials_dropped", audit, AuditService::droppedAnonymousDenials)
                    .description("Denials of unauthenticated requests not written to the audit log (over the rate limit)")
                    .register(meters);
            abuse.metricsPort().ifPresent(port -> closeables.add(MetricsListener.start(meters, port)));

            WorkspaceService workspaces = new WorkspaceService(new JdbcWorkspaceStore(database), clock);
            ArtifactService artifacts = new ArtifactService(artifactRepository);
            workspaces.addParticipant(artifacts);
            TrackingService tracking = new TrackingService(new JdbcTrackingStore(database), new RunArtifacts(artifacts), clock);
            workspaces.addParticipant(tracking);
            RegistryService registry = RegistryService.start(new JdbcRegistryStore(database), tracking, artifacts, clock);
            closeables.add(registry);
            workspaces.addParticipant(registry);
            SecretService secrets = new SecretService(database, MasterKeys.open(config.security(), config.dataDir()), audit, clock);
            workspaces.addParticipant(secrets);
            // Upload expiry and the per-workspace upload quota (docs/security.md, "Upload limits"); data and jobs add their sources.
            UploadQuota uploadQuota = new UploadQuota(config.uploads());
            UploadSweeper uploadSweeper = new UploadSweeper(uploadQuota, clock);
            closeables.add(uploadSweeper);
            // Datastores, data assets and lineage (docs/data.md).
            DataModule data = DataModule.start(database, artifactRepository, secrets, tracking, registry, config.dataDir(),
                    DataModule.localRoots(config.dataDir(), System.getenv()), uploadQuota, config.connections().datastoreEndpoints(), clock);
            workspaces.addParticipant(data.data());

            // Authentication (docs/security.md): off, every request runs as the local user (loopback only).
            Optional<AuthModule> auth = config.security().authEnabled()
                    ? Optional.of(AuthModule.start(config.security(), database, workspaces, clock, System.out))
                    : Optional.empty();

            // Local workloads (docs/security.md): sandboxed, clean environment, folders outside the data directory.
            LocalCompute local = LocalCompute.start(config.jobs().local(), config.dataDir(), List.of(config.resolvedArtifactsDir()),
                    config.security().authEnabled());
            closeables.add(local); // closed after jobs and serving stopped their workloads: removes their empty folders
            // The execution layer (docs/architecture.md): one backend per target kind runs every job and deployment worker.
            AtomicReference<String> listeningUrl = new AtomicReference<>("http://127.0.0.1");
            KubernetesConnections kubernetes = new KubernetesConnections(config.connections().kubeconfigDir(),
                    config.connections().kubernetesFetchImage(), Optional.of(secrets));
            Workloads workloads = new Workloads(List.of(new LocalRuns(local, config.resolvedJobsDir(), listeningUrl::get),
                    new KubernetesRuns(kubernetes, () -> config.jobs().publicUrl().orElse(listeningUrl.get()), Duration.ofMillis(500))));
            closeables.add(workloads); // closed after jobs and serving, before the local launcher
            // Jobs (docs/jobs.md): environments, compute targets, snapshots, the queue; started once the URL is known.
            JobsModule jobs = JobsModule.create(config.jobs(), database, config.dataDir(), config.resolvedJobsDir(), local, tracking,
                    artifacts, secrets, auth.<RunCredentials>map(module -> new TokenRunCredentials(module.tokens())).orElse(RunCredentials.NONE),
                    new DataServiceJobData(data.data(), data.datastores()), uploadQuota, kubernetes, workloads, clock);
            workspaces.addParticipant(jobs.snapshots());
            // The designer's built-in components (docs/components.md), in every workspace: new ones when they are created,
            // existing ones below, at every start (a new server version brings new versions of them).
            BuiltinComponents builtinComponents = new BuiltinComponents(jobs.components());
            workspaces.addParticipant(builtinComponents);
            // Schedules (docs/schedules.md): submit jobs on a cron or recurrence trigger; started with the server, closed before jobs.
            // Operations gauges (docs/operations.md, "Monitoring"): the connection pool and the job queue by state.
            OperationsMetrics.bindConnectionPool(meters, database.connectionPool());
            OperationsMetrics.bindJobQueue(meters, java.util.Arrays.stream(JobStatus.values()).map(JobStatus::wireName).toList(),
                    () -> jobs.jobs().countByStatus().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                            entry -> entry.getKey().wireName(), java.util.Map.Entry::getValue)));
            SchedulesModule schedules = SchedulesModule.create(database, jobs.jobs(), config.scheduleCatchUp(), clock);

            List<RouteTable> routes = new ArrayList<>();
            routes.add(new OperationsRoutes(meters, List.of(
                    new OperationsRoutes.Dependency("database", () -> database.read(handle -> handle.createQuery("SELECT 1")
                            .mapTo(Integer.class).one())),
                    new OperationsRoutes.Dependency("artifacts", () -> artifactRepository.list(dev.atelier.api.Workspace.DEFAULT,
                            dev.atelier.server.artifacts.ArtifactPath.ROOT)))));
            routes.add(new WorkspaceRoutes(workspaces, auth.map(AuthModule::visibility).orElse(WorkspaceVisibility.ALL)));
            auth.ifPresent(module -> routes.addAll(module.routes()));
            routes.add(new ExperimentRoutes(tracking));
            // MLflow traces (docs/mlflow-compatibility.md, "Traces"): infos in the database, spans as artifacts or (OTLP) rows.
            TraceService traces = new TraceService(new JdbcTraceStore(database), new JdbcTraceSpanStore(database), tracking, artifacts, clock);
            routes.add(new TraceRoutes(traces, new AssessmentService(new JdbcAssessmentStore(database), traces, clock)));
            routes.add(new OtlpRoutes(traces));
            // MLflow 3 logged models (docs/mlflow-compatibility.md, "Logged models"): files under the experiment's artifacts.
            LoggedModelService loggedModels = new LoggedModelService(new JdbcLoggedModelStore(database), tracking, artifacts, clock);
            registry.addSourceLocations(loggedModels::registrationSource);  // models:/m-<id> as a model-version source
            tracking.addRunOutputs(loggedModels::outputs);  // runs/get's outputs: the logged models a run produced
            routes.add(new LoggedModelRoutes(loggedModels));
            routes.add(new ScorerRoutes(new ScorerService(new JdbcScorerStore(database), tracking, clock)));  // MLflow 3 scorers
            // Backups of the running server (docs/operations.md, "Backup and restore").
            routes.add(new BackupRoutes(new BackupService(database, config.databaseUrl(), config.dataDir(),
                    config.artifactsS3().isPresent() ? Optional.empty() : Optional.of(config.resolvedArtifactsDir()), config.artifactsS3(),
                    config.security().masterKey().isPresent(), clock)));
            routes.add(new RegisteredModelRoutes(registry));
            routes.add(new ModelVersionRoutes(registry));
            routes.add(new ModelRoutes(registry));
            // MLflow webhooks (docs/registry.md, "Webhooks"): registry events posted to subscribed URLs.
            WebhookService webhooks = new WebhookService(new JdbcWebhookStore(database), registry, secrets,
                    config.connections().webhookEndpoints(), clock);
            closeables.add(webhooks);
            registry.addListener(webhooks);
            routes.add(new WebhookRoutes(webhooks));
            routes.add(new ArtifactRoutes(artifacts));
            routes.add(new SecretRoutes(secrets));
            routes.add(new AuditRoutes(audit));
            routes.addAll(data.routes());
            routes.addAll(jobs.routes());
            routes.addAll(schedules.routes());
            Authorizer authorizer = auth.map(AuthModule::authorizer).orElse(Authorizer.ALLOW_ALL);
            // Designer (docs/designer.md): drafts of pipelines drawn in the portal, checked and submitted by the jobs API.
            DesignerModule designer = DesignerModule.create(database, jobs.jobs(), clock);
            routes.addAll(designer.routes());
            // Batch endpoints (docs/batch-endpoints.md): batch scoring jobs as a kind of job of the queue.
            BatchModule batch = BatchModule.create(database, jobs, registry, artifacts, new DataServiceJobData(data.data(), data.datastores()),
                    workloads, secrets, authorizer, config.resolvedJobsDir().resolve(".batch"),
                    () -> config.jobs().publicUrl().orElse(listeningUrl.get()), clock);
            routes.addAll(batch.routes());

            workspaces.ensureDefault();
            workspaces.list().stream().map(Workspace::name).filter(name -> !name.equals(Workspace.DEFAULT))
                    .forEach(builtinComponents::register);
            // Endpoint monitoring (docs/endpoints-monitoring.md): request metrics, request logging, drift reports; closed after serving.
            EndpointMonitoring monitoring = EndpointMonitoring.start(database, meters, data.data(), data.datastores(), clock);
            closeables.add(monitoring);
            workspaces.addParticipant(monitoring);
            // gc (docs/operations.md): deleted runs and experiments, expired uploads and audit events, retention windows.
            Retention retention = new Retention(config.retention(), monitoring, data.lineage(), workspaces, jobs.jobs(),
                    config.resolvedJobsDir(), clock);
            routes.add(new GarbageRoutes(new GarbageCollector(tracking), uploadSweeper, auditRetention::collect, jobs::collectUnusedBuilds,
                    retention::collect));
            // Online endpoints (docs/endpoints.md): deployments served by this server, started once the URL is known.
            ServingModule serving = ServingModule.create(database, local, workloads, config.jobs().publicUrl(),
                    new ServingModule.Dependencies(registry, artifacts, jobs.snapshots(), jobs.environments(), jobs.computes(), secrets,
                            authorizer, monitoring.observer(), auth.<DeploymentTokenIssuer>map(module -> new TokenDeploymentIssuer(
                                    module.tokens())).orElse(DeploymentTokenIssuer.NONE)), clock);
            closeables.add(serving);
            workspaces.addParticipant(serving.endpoints());
            serving.endpoints().addListener(new ServingListener() {
                @Override
                public void changed(String workspace, String endpoint) {
                }

                @Override
                public void endpointRemoved(String workspace, String endpoint) {
                    monitoring.endpointDeleted(workspace, endpoint);
                }
            });
            // Compute instances (docs/notebooks.md): per-user Jupyter servers as service workloads, behind the proxy.
            NotebookService notebooks = new NotebookService(new JdbcInstanceStore(database), jobs.computes(), workloads, authorizer,
                    auth.map(module -> InstanceCredentials.tokens(module.tokens())).orElse(InstanceCredentials.NONE),
                    local.workRoot().resolve("notebook-files"), listeningUrl::get, () -> config.jobs().publicUrl().orElse(listeningUrl.get()),
                    clock, ServerId.generate(), NOTEBOOK_CHECKS.multipliedBy(3));
            closeables.add(notebooks);
            workspaces.addParticipant(notebooks);
            routes.add(new InstanceRoutes(notebooks));
            routes.add(new NotebookProxy(notebooks));
            // The hottest routes first: Javalin tries a request's routes in order, a regular expression each (twice:
            // before-handlers, then the handler), so run logging and scoring should not wait behind the rest.
            routes.addAll(0, serving.routes());
            routes.add(0, new RunRoutes(tracking, loggedModels));  // metrics with a model_id go to the logged model too
            routes.addAll(monitoring.routes(serving.endpoints()::getEndpoint));
            // Web portal (docs/portal.md): other domains pass their PortalArea factories in the last argument.
            routes.add(PortalModule.create(workspaces, auth.map(AuthModule::visibility).orElse(WorkspaceVisibility.ALL), authorizer,
                    auth.isPresent(), tracking, List.of(
                            view -> new DataPages(view, data.data(), data.datastores(), data.lineage()),
                            view -> new JobPages(view, jobs.jobs(), jobs.snapshots(), tracking),
                            view -> new PipelinePages(view, jobs.jobs()),
                            view -> new DesignerPages(view, designer.designer()),
                            view -> new ComputePages(view, jobs.computes(), jobs.environments()),
                            view -> new ComponentPages(view, jobs.components(), jobs.snapshots()),
                            view -> new SchedulePages(view, schedules.schedules()),
                            view -> new NotebookPages(view, notebooks),
                            view -> new ModelPages(view, registry),
                            view -> new TracePages(view, traces, tracking),
                            view -> new EndpointPages(view, serving),
                            view -> new BatchPages(view, batch.batch()),
                            view -> new SettingsPages(view, auth.map(AuthModule::access), auth.map(AuthModule::tokens), secrets, audit,
                                    workspaces))));
            // Request spans to an OpenTelemetry collector when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/operations.md, "Logs").
            Optional<OtlpTraceExport> otlp = OtlpTraceExport.fromEnvironment(System.getenv());
            otlp.ifPresent(closeables::add);
            RequestObserver observer = otlp.<RequestObserver>map(export -> (ctx, route, workspace, principal, outcome, status) -> {
                audit.requestCompleted(ctx, route, workspace, principal, outcome, status);
                export.requestCompleted(ctx, route, workspace, principal, outcome, status);
            }).orElse(audit);
            HttpServer http = new HttpServer(routes, workspaces, authorizer, observer, meters, browsers).start(config.host(), config.port());
            AtelierServer server = new AtelierServer(config, database, audit, http,
                    routes.stream().flatMap(table -> table.routes().stream()).toList(), closeables, jobs, schedules, local, notebooks);
            listeningUrl.set(server.url());
            jobs.start(server.url());
            schedules.start();
            serving.start(server.url());
            uploadSweeper.start();
            notebooks.startChecks(NOTEBOOK_CHECKS);
            return server;
        } catch (RuntimeException e) {
            closeAll(closeables);
            audit.close();
            database.close();
            throw e;
        }
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable closeable : closeables.reversed()) {
            try {
                closeable.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(AtelierServer.class).warn("closing {} failed: {}", closeable, e.toString());
            }
        }
    }

    private static Database openDatabase(ServerConfig config) {
        return config.databaseUrl()
                .map(Database::open)
                .orElseGet(() -> Database.openSqlite(config.dataDir().resolve("atelier.db")));
    }

    public int port() {
        return http.port();
    }

    /** The base URL clients use, such as {@code http://127.0.0.1:5000}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port();
    }

    public Path dataDir() {
        return config.dataDir().toAbsolutePath();
    }

    /** How local workloads run here (the start banner shows {@link LocalCompute#describe()}). */
    public LocalCompute localCompute() {
        return local;
    }

    /** Compute instances (tests run their idle and schedule checks with {@link NotebookService#tick}). */
    public NotebookService notebooks() {
        return notebooks;
    }

    /** Every route the server serves (the authorization matrix test walks them). */
    public List<Route> routes() {
        return routes;
    }

    public Database database() {
        return database;
    }

    /** Stops accepting requests, lets in-flight ones finish, writes the queued audit events, then closes the database. */
    @Override
    public void close() {
        try {
            try {
                schedules.close();
                jobs.close();
            } finally {
                http.close();
            }
        } finally {
            closeAll(closeables);
            try {
                audit.close();
            } finally {
                database.close();
            }
        }
    }
}
