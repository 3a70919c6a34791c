package dev.atelier.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.Workspace;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A client of one Atelier server, working in one workspace:
 *
 * <pre>{@code
 * try (AtelierClient client = AtelierClient.connect("http://127.0.0.1:5000", "team-a")) {
 *     String id = client.experiments().create("churn");
 *     client.runs().list(RunSearch.inExperiments(id), 100);
 * }
 * }</pre>
 *
 * <p>Credentials, when not given to the {@link Builder}, are looked up as {@link CredentialSources}
 * says: {@code ATELIER_TOKEN}, then {@code ATELIER_USERNAME} with {@code ATELIER_PASSWORD}, then the
 * token {@code atelier login} stored for the server's URL. A token is sent as
 * {@code Authorization: Bearer}, a user name and password as HTTP Basic.
 *
 * <p>Workspaces, security and garbage collection go through the native API ({@code /api/v1},
 * under {@code /w/{workspace}} for the workspace-scoped parts outside {@code default}); experiments
 * and runs through MLflow's REST API, at {@code /api/2.0/mlflow} for the {@code default}
 * workspace and at {@code /w/{workspace}/api/2.0/mlflow} for any other. When the server answers
 * with an error, methods throw {@link dev.atelier.api.AtelierException} carrying the server's
 * error code and message; when it cannot be reached, {@link ServerUnreachableException}.
 *
 * <p>Thread-safe; close it to release the HTTP client.
 */
public final class AtelierClient implements AutoCloseable {
    public static final String DEFAULT_URL = "http://127.0.0.1:5000";

    private final HttpTransport transport;
    private final ModelClient models;
    private final String workspace;
    private final String credentialsSource;
    private final WorkspaceClient workspaces;
    private final ExperimentClient experiments;
    private final RunClient runs;
    private final AuthClient auth;
    private final UserClient users;
    private final TokenClient tokens;
    private final AccessClient access;
    private final SecretClient secrets;
    private final DataAssetClient data;
    private final DatastoreClient datastores;
    private final AuditClient audit;
    private final AdminClient admin;
    private final ArtifactClient artifacts;
    private final JobClient jobs;
    private final SnapshotClient snapshots;
    private final EnvironmentClient environments;
    private final ComponentClient components;
    private final ComputeClient computes;
    private final ComputeInstanceClient computeInstances;
    private final EndpointClient endpoints;
    private final DeploymentClient deployments;
    private final ScheduleClient schedules;
    private final BatchEndpointClient batchEndpoints;

    private AtelierClient(HttpTransport transport, String workspace, String credentialsSource) {
        this.transport = transport;
        this.workspace = workspace;
        this.credentialsSource = credentialsSource;
        this.workspaces = new WorkspaceClient(transport);
        this.experiments = new ExperimentClient(transport, this::mlflowPath);
        this.runs = new RunClient(transport, this::mlflowPath);
        this.artifacts = new ArtifactClient(transport, endpoint -> workspacePrefix() + "/api/2.0/" + endpoint);
        this.auth = new AuthClient(transport);
        this.users = new UserClient(transport);
        this.tokens = new TokenClient(transport);
        this.access = new AccessClient(transport, this::nativePath);
        this.secrets = new SecretClient(transport, this::nativePath);
        this.data = new DataAssetClient(transport, this::nativePath);
        this.datastores = new DatastoreClient(transport, this::nativePath);
        this.audit = new AuditClient(transport, nativePath("audit"), false);
        this.admin = new AdminClient(transport);
        this.models = new ModelClient(transport, this::mlflowPath, this::nativePath, this::artifactPath);
        this.jobs = new JobClient(transport, this::nativePath, this::mlflowPath, this::artifactPath);
        this.snapshots = new SnapshotClient(transport, this::nativePath);
        this.environments = new EnvironmentClient(transport, this::nativePath);
        this.components = new ComponentClient(transport, this::nativePath);
        this.computes = new ComputeClient(transport, this::nativePath);
        this.computeInstances = new ComputeInstanceClient(transport, this::nativePath);
        this.endpoints = new EndpointClient(transport, this::nativePath, name -> workspacePrefix() + "/endpoints/" + name);
        this.deployments = new DeploymentClient(transport, this::nativePath, snapshots);
        this.schedules = new ScheduleClient(transport, this::nativePath);
        this.batchEndpoints = new BatchEndpointClient(transport, this::nativePath, snapshots, data);
    }

    /**
     * A client of the server at {@code baseUrl} working in the {@code default} workspace, with
     * credentials from the environment or the credentials file.
     */
    public static AtelierClient connect(String baseUrl) {
        return connect(baseUrl, Workspace.DEFAULT);
    }

    /**
     * A client of the server at {@code baseUrl} (such as {@code http://127.0.0.1:5000}) working in
     * {@code workspace}, with credentials from the environment or the credentials file. Connects
     * lazily: nothing is sent before the first call.
     *
     * @throws IllegalArgumentException when {@code baseUrl} is not an http(s) URL
     * @throws CredentialsFileException when the credentials file exists but cannot be read
     */
    public static AtelierClient connect(String baseUrl, String workspace) {
        return builder(baseUrl).workspace(workspace).build();
    }

    /** A builder for a client of the server at {@code baseUrl}, to choose the workspace, credentials or environment. */
    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    /** Builds an {@link AtelierClient}; not thread-safe. */
    public static final class Builder {
        private final String baseUrl;
        private String workspace = Workspace.DEFAULT;
        private Optional<Credentials> credentials = Optional.empty();
        private Map<String, String> environment = System.getenv();

        private Builder(String baseUrl) {
            this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        }

        public Builder workspace(String name) {
            requireNonNull(name, "name is null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("workspace is blank");
            }
            this.workspace = name;
            return this;
        }

        /** Uses these credentials and looks for no others; {@link Credentials#NONE} sends none. */
        public Builder credentials(Credentials given) {
            this.credentials = Optional.of(requireNonNull(given, "given is null"));
            return this;
        }

        /** Where credentials are looked up when none are given (default: this process's environment). */
        public Builder environment(Map<String, String> variables) {
            this.environment = Map.copyOf(requireNonNull(variables, "variables is null"));
            return this;
        }

        /**
         * @throws IllegalArgumentException when the base URL is not an http(s) URL
         * @throws CredentialsFileException when the credentials file exists but cannot be read
         */
        public AtelierClient build() {
            String url = HttpTransport.normalize(baseUrl);
            CredentialSources.Resolved resolved = credentials
                    .map(given -> new CredentialSources.Resolved(given, "given to the client"))
                    .orElseGet(() -> CredentialSources.resolve(url, environment));
            return new AtelierClient(new HttpTransport(url, resolved.credentials()), workspace, resolved.source());
        }
    }

    /** The server's base URL, without a trailing slash. */
    public String baseUrl() {
        return transport.baseUrl();
    }

    public String workspace() {
        return workspace;
    }

    /** Where this client's credentials came from, such as {@code ATELIER_TOKEN} or {@code none}, to say which were refused. */
    public String credentialsSource() {
        return credentialsSource;
    }

    public WorkspaceClient workspaces() {
        return workspaces;
    }

    /** Experiments of this client's workspace. */
    public ExperimentClient experiments() {
        return experiments;
    }

    /** Runs of this client's workspace. */
    public RunClient runs() {
        return runs;
    }

    /** Files under {@code mlflow-artifacts:} URIs of this client's workspace, through MLflow's artifact proxy. */
    public ArtifactClient artifacts() {
        return artifacts;
    }

    /** The caller's own account: who it is, its password, and logging in with a password. */
    public AuthClient auth() {
        return auth;
    }

    /** User accounts (server admins only). */
    public UserClient users() {
        return users;
    }

    /** The caller's API tokens. */
    public TokenClient tokens() {
        return tokens;
    }

    /** Roles in this client's workspace. */
    public AccessClient access() {
        return access;
    }

    /** Secrets of this client's workspace. */
    public SecretClient secrets() {
        return secrets;
    }

    /** Data assets of this client's workspace. */
    public DataAssetClient data() {
        return data;
    }

    /** Datastores of this client's workspace. */
    public DatastoreClient datastores() {
        return datastores;
    }

    /** The audit log of this client's workspace. */
    public AuditClient audit() {
        return audit;
    }

    /** The model registry: register, alias, list, show and download models. */
    public ModelClient models() {
        return models;
    }

    /** Jobs of this client's workspace. */
    public JobClient jobs() {
        return jobs;
    }

    /** Schedules that submit jobs on a cron or recurrence trigger. */
    public ScheduleClient schedules() {
        return schedules;
    }

    /** Code snapshots of this client's workspace. */
    public SnapshotClient snapshots() {
        return snapshots;
    }

    /** Environments of this client's workspace. */
    public EnvironmentClient environments() {
        return environments;
    }

    /** Registered components of this client's workspace, which pipeline steps reference. */
    public ComponentClient components() {
        return components;
    }

    /** Compute targets of this client's workspace. */
    public ComputeClient computes() {
        return computes;
    }

    /** Compute instances (per-user notebook servers) of this client's workspace. */
    public ComputeInstanceClient computeInstances() {
        return computeInstances;
    }

    /** Online endpoints of this client's workspace: create, change traffic, keys, invoke. */
    public EndpointClient endpoints() {
        return endpoints;
    }

    /** Batch endpoints and their deployments (docs/batch-endpoints.md). */
    public BatchEndpointClient batchEndpoints() {
        return batchEndpoints;
    }

    /** Deployments of this client's online endpoints. */
    public DeploymentClient deployments() {
        return deployments;
    }

    /** Server-wide operations for server admins. */
    public AdminClient admin() {
        return admin;
    }

    /**
     * Removes for good what was deleted (soft-deleted runs and experiments with their metrics,
     * params, tags and artifacts) more than {@code olderThan} ago, in {@code workspace} or, when
     * it is empty, in every workspace.
     */
    public GcResult gc(Duration olderThan, Optional<String> workspace) {
        requireNonNull(olderThan, "olderThan is null");
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan is negative: " + olderThan);
        }
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("older_than_ms", olderThan.toMillis());
        requireNonNull(workspace, "workspace is null").ifPresent(name -> body.put("workspace", name));
        return GcResult.fromJson(transport.post("/api/v1/gc", body));
    }

    /** The path of an MLflow endpoint such as {@code runs/search} in this client's workspace. */
    private String mlflowPath(String endpoint) {
        return workspacePrefix() + "/api/2.0/mlflow/" + endpoint;
    }

    /** The path of a workspace-scoped native endpoint such as {@code secrets} in this client's workspace. */
    private String nativePath(String endpoint) {
        return workspacePrefix() + "/api/v1/" + endpoint;
    }

    /** The artifact proxy's path of {@code path} (relative to the workspace's artifact root) in this client's workspace. */
    private String artifactPath(String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/")) {
            encoded.append('/').append(HttpTransport.encode(segment));
        }
        return workspacePrefix() + "/api/2.0/mlflow-artifacts/artifacts" + encoded;
    }

    /** Workspace-scoped routes are served at their own path for {@code default} and under {@code /w/{workspace}} otherwise. */
    private String workspacePrefix() {
        return Workspace.DEFAULT.equals(workspace) ? "" : "/w/" + HttpTransport.encode(workspace);
    }

    @Override
    public void close() {
        transport.close();
    }
}
