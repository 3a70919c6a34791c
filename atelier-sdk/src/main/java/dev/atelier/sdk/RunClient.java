package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Runs of one workspace through MLflow's REST API. Thread-safe. Methods throw
 * {@link dev.atelier.api.AtelierException} when the server refuses the request and
 * {@link ServerUnreachableException} when it cannot be reached.
 */
public final class RunClient {
    private final HttpTransport transport;
    private final Function<String, String> paths;

    RunClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** One page of {@code runs/search}. */
    public RunPage search(RunSearch search) {
        ObjectNode body = HttpTransport.mapper().createObjectNode();
        search.experimentIds().forEach(body.putArray("experiment_ids")::add);
        if (!search.filter().isEmpty()) {
            body.put("filter", search.filter());
        }
        body.put("max_results", search.maxResults());
        if (!search.orderBy().isEmpty()) {
            search.orderBy().forEach(body.putArray("order_by")::add);
        }
        search.pageToken().ifPresent(token -> body.put("page_token", token));
        body.put("run_view_type", search.viewType().name());
        JsonNode answer = transport.post(paths.apply("runs/search"), body);
        List<Run> runs = new ArrayList<>();
        answer.path("runs").forEach(node -> runs.add(Run.fromJson(node)));
        return new RunPage(runs, ExperimentClient.nextPageToken(answer));
    }

    /** Up to {@code limit} runs of the search, following page tokens. */
    public List<Run> list(RunSearch search, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        List<Run> runs = new ArrayList<>();
        RunSearch page = search;
        while (runs.size() < limit) {
            RunPage answer = search(page.withMaxResults(Math.min(limit - runs.size(), search.maxResults())));
            runs.addAll(answer.runs());
            if (answer.nextPageToken().isEmpty() || answer.runs().isEmpty()) {
                break;
            }
            page = page.withPageToken(answer.nextPageToken());
        }
        return runs;
    }

    public Run get(String runId) {
        return Run.fromJson(transport.get(paths.apply("runs/get?run_id="
                + HttpTransport.encode(requireNonNull(runId, "runId is null")))).path("run"));
    }

    /** Starts a run in {@code experimentId} ({@code runs/create}), named {@code runName} (MLflow picks a name when it is empty). */
    public RunInfo create(String experimentId, String runName) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("experiment_id", requireNonNull(experimentId, "experimentId is null"))
                .put("start_time", System.currentTimeMillis());
        if (!requireNonNull(runName, "runName is null").isEmpty()) {
            body.put("run_name", runName);
        }
        return RunInfo.fromJson(transport.post(paths.apply("runs/create"), body).path("run").path("info"));
    }

    /**
     * Records a logged model on the run ({@code runs/log-model}): the server appends
     * {@code modelJson} to the run's {@code mlflow.log-model.history} tag. {@code modelJson} is what
     * MLflow's {@code Model.get_tags_dict} gives; see {@link dev.atelier.api.mlmodel.MlModelYaml#historyEntry}.
     */
    public void logModel(String runId, String modelJson) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("run_id", requireNonNull(runId, "runId is null"))
                .put("model_json", requireNonNull(modelJson, "modelJson is null"));
        transport.post(paths.apply("runs/log-model"), body);
    }

    /** Moves the run to the {@code deleted} stage (MLflow's soft delete). */
    public void delete(String runId) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("run_id", requireNonNull(runId, "runId is null"));
        transport.post(paths.apply("runs/delete"), body);
    }
}
