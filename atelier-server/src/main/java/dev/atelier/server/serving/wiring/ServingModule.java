package dev.atelier.server.serving.wiring;

import dev.atelier.server.artifacts.ArtifactService;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.http.Authorizer;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.registry.RegistryService;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.serving.BackendFactory;
import dev.atelier.server.serving.BackendStarter;
import dev.atelier.server.serving.DeploymentHost;
import dev.atelier.server.serving.DeploymentResolver;
import dev.atelier.server.serving.DeploymentTokenIssuer;
import dev.atelier.server.serving.EndpointJson;
import dev.atelier.server.serving.EndpointRoutes;
import dev.atelier.server.serving.EndpointService;
import dev.atelier.server.serving.JdbcEndpointStore;
import dev.atelier.server.serving.ScoringObserver;
import dev.atelier.server.serving.ScoringRouter;
import dev.atelier.server.serving.ScoringRoutes;
import dev.atelier.server.serving.kubernetes.KubernetesDeploymentStarter;
import dev.atelier.server.serving.kubernetes.SecretDeploymentTokens;
import dev.atelier.server.serving.ServiceCleanup;
import dev.atelier.server.serving.kubernetes.ServicesDeploymentSource;
import dev.atelier.server.serving.script.ScriptBackendStarter;
import dev.atelier.server.snapshots.SnapshotService;
import dev.atelier.server.store.Database;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Online endpoints wired together for the composition root (docs/endpoints.md): the service and
 * its store, the host that runs deployments on this server, and the native and scoring routes.
 * {@link #start} gives it the server's URL (for scoring URIs) once known; {@link #close} stops every
 * deployment.
 */
public final class ServingModule implements AutoCloseable {
    private final EndpointService endpoints;
    private final DeploymentHost host;
    private final ScoringRouter router;
    private final List<RouteTable> routes;
    private final AtomicReference<String> serverUrl;
    private final Optional<String> publicUrl;
    private final Workloads workloads;

    private ServingModule(EndpointService endpoints, DeploymentHost host, ScoringRouter router, List<RouteTable> routes,
                          AtomicReference<String> serverUrl, Optional<String> publicUrl, Workloads workloads) {
        this.workloads = workloads;
        this.endpoints = endpoints;
        this.host = host;
        this.router = router;
        this.routes = List.copyOf(routes);
        this.serverUrl = serverUrl;
        this.publicUrl = publicUrl;
    }

    /** Everything a deployment needs from other domains. */
    public record Dependencies(RegistryService registry, ArtifactService artifacts, SnapshotService snapshots,
                               EnvironmentService environments, ComputeService computes, SecretService secrets,
                               Authorizer authorizer, ScoringObserver observer, DeploymentTokenIssuer tokens) {
        public Dependencies {
            requireNonNull(registry, "registry is null");
            requireNonNull(artifacts, "artifacts is null");
            requireNonNull(snapshots, "snapshots is null");
            requireNonNull(environments, "environments is null");
            requireNonNull(computes, "computes is null");
            requireNonNull(secrets, "secrets is null");
            requireNonNull(authorizer, "authorizer is null");
            requireNonNull(observer, "observer is null");
            requireNonNull(tokens, "tokens is null");
        }
    }

    /**
     * @param local     the {@code local} target's launcher: scoring-script workers run there as sandboxed service workloads, and
     *                  started deployments keep their model files and code in its work root ({@code <work-dir>/serving})
     * @param workloads the execution layer, which runs the deployments' workers
     * @param publicUrl the URL clients reach the server at, when it differs from the one it listens on
     */
    public static ServingModule create(Database database, LocalCompute local, Workloads workloads, Optional<String> publicUrl,
                                       Dependencies deps, Clock clock) {
        ModelRuntimes runtimes = ModelRuntimes.standard();
        AtomicReference<String> serverUrl = new AtomicReference<>("http://127.0.0.1");
        EndpointService endpoints = new EndpointService(new JdbcEndpointStore(database), new DeploymentResolver(deps.registry(), runtimes,
                deps.snapshots(), deps.environments(), deps.computes(), workloads), deps.secrets(), clock);
        BackendStarter scripts = new ScriptBackendStarter(deps.snapshots(), deps.environments(), (workspace, compute) -> {
            ComputeTarget target = deps.computes().get(workspace, compute);
            return (spec, listener) -> workloads.serve(target, spec, listener);
        }, ScriptBackendStarter.STARTUP_TIMEOUT);
        SecretDeploymentTokens tokens = new SecretDeploymentTokens(deps.tokens(), deps.secrets(), endpoints);
        BackendStarter remote = new KubernetesDeploymentStarter(workloads, new ServicesDeploymentSource(deps.computes(),
                deps.environments(), deps.registry(), deps.artifacts(), tokens),
                Duration.ofMinutes(15), Duration.ofSeconds(2), Duration.ofSeconds(5));
        BackendFactory factory = new BackendFactory(deps.registry(), deps.artifacts(), runtimes, deps.computes(), workloads, scripts, remote);
        DeploymentHost host = new DeploymentHost(endpoints, factory, local.workRoot().resolve("serving"));
        endpoints.addListener(host);
        endpoints.addListener(new ServiceCleanup(workloads, deps.computes()));
        endpoints.addListener(tokens);
        ScoringRouter router = new ScoringRouter(host, deps.authorizer(), deps.observer());
        List<RouteTable> routes = List.of(new EndpointRoutes(endpoints, host, () -> publicUrl.orElse(serverUrl.get())),
                new ScoringRoutes(router, host));
        return new ServingModule(endpoints, host, router, routes, serverUrl, publicUrl, workloads);
    }

    public List<RouteTable> routes() {
        return routes;
    }

    public EndpointService endpoints() {
        return endpoints;
    }

    public DeploymentHost host() {
        return host;
    }

    /** The base URL of an endpoint's scoring routes, as clients reach it. */
    public String baseUri(String workspace, String endpoint) {
        return EndpointJson.baseUri(publicUrl.orElse(serverUrl.get()), workspace, endpoint);
    }

    /** Gives the server's URL and starts serving what the database holds. */
    public void start(String url) {
        serverUrl.set(requireNonNull(url, "url is null"));
        host.reconcileNow();
    }

    @Override
    public void close() {
        router.close();
        host.close();
    }
}
