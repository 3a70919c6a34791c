package dev.atelier.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.Workspace;

import java.time.Duration;
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
 * <p>Workspaces and garbage collection go through the native API ({@code /api/v1}); experiments
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
    private final String workspace;
    private final WorkspaceClient workspaces;
    private final ExperimentClient experiments;
    private final RunClient runs;

    private AtelierClient(HttpTransport transport, String workspace) {
        this.transport = transport;
        this.workspace = workspace;
        this.workspaces = new WorkspaceClient(transport);
        this.experiments = new ExperimentClient(transport, this::mlflowPath);
        this.runs = new RunClient(transport, this::mlflowPath);
    }

    /** A client of the server at {@code baseUrl} working in the {@code default} workspace. */
    public static AtelierClient connect(String baseUrl) {
        return connect(baseUrl, Workspace.DEFAULT);
    }

    /**
     * A client of the server at {@code baseUrl} (such as {@code http://127.0.0.1:5000}) working in
     * {@code workspace}. Connects lazily: nothing is sent before the first call.
     *
     * @throws IllegalArgumentException when {@code baseUrl} is not an http(s) URL
     */
    public static AtelierClient connect(String baseUrl, String workspace) {
        requireNonNull(workspace, "workspace is null");
        if (workspace.isBlank()) {
            throw new IllegalArgumentException("workspace is blank");
        }
        return new AtelierClient(new HttpTransport(baseUrl), workspace);
    }

    /** The server's base URL, without a trailing slash. */
    public String baseUrl() {
        return transport.baseUrl();
    }

    public String workspace() {
        return workspace;
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
        String prefix = Workspace.DEFAULT.equals(workspace) ? "" : "/w/" + HttpTransport.encode(workspace);
        return prefix + "/api/2.0/mlflow/" + endpoint;
    }

    @Override
    public void close() {
        transport.close();
    }
}
