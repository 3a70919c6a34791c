package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Experiments of one workspace through MLflow's REST API
 * (https://mlflow.org/docs/latest/rest-api.html). Thread-safe. Methods throw
 * {@link AtelierException} when the server refuses the request and
 * {@link ServerUnreachableException} when it cannot be reached.
 */
public final class ExperimentClient {
    private static final int PAGE_SIZE = 1000;

    private final HttpTransport transport;
    private final Function<String, String> paths;

    ExperimentClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** One page of {@code experiments/search}; {@code filter} may be empty. */
    public ExperimentPage search(ViewType viewType, String filter, int maxResults, Optional<String> pageToken) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("max_results", maxResults)
                .put("view_type", requireNonNull(viewType, "viewType is null").name());
        if (!requireNonNull(filter, "filter is null").isEmpty()) {
            body.put("filter", filter);
        }
        pageToken.ifPresent(token -> body.put("page_token", token));
        JsonNode answer = transport.post(paths.apply("experiments/search"), body);
        List<Experiment> experiments = new ArrayList<>();
        answer.path("experiments").forEach(node -> experiments.add(Experiment.fromJson(node)));
        return new ExperimentPage(experiments, nextPageToken(answer));
    }

    /** Every experiment of the view, following page tokens. */
    public List<Experiment> list(ViewType viewType) {
        List<Experiment> experiments = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            ExperimentPage page = search(viewType, "", PAGE_SIZE, token);
            experiments.addAll(page.experiments());
            token = page.nextPageToken();
        } while (token.isPresent());
        return experiments;
    }

    /** Creates an experiment and returns its id; {@code RESOURCE_ALREADY_EXISTS} when the name is taken. */
    public String create(String name) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("name", requireNonNull(name, "name is null"));
        return JsonFields.text(transport.post(paths.apply("experiments/create"), body), "experiment_id");
    }

    public Experiment get(String experimentId) {
        return Experiment.fromJson(transport.get(paths.apply("experiments/get?experiment_id="
                + HttpTransport.encode(requireNonNull(experimentId, "experimentId is null")))).path("experiment"));
    }

    public Experiment getByName(String name) {
        return Experiment.fromJson(transport.get(paths.apply("experiments/get-by-name?experiment_name="
                + HttpTransport.encode(requireNonNull(name, "name is null")))).path("experiment"));
    }

    /**
     * The experiment a person means by {@code idOrName}: the one with that id when it is a number
     * and such an experiment exists, otherwise the one with that name.
     */
    public Experiment resolve(String idOrName) {
        requireNonNull(idOrName, "idOrName is null");
        if (idOrName.chars().allMatch(Character::isDigit) && !idOrName.isEmpty()) {
            try {
                return get(idOrName);
            } catch (AtelierException e) {
                if (e.errorCode() != ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                    throw e;
                }
            }
        }
        return getByName(idOrName);
    }

    /** Moves the experiment and its runs to the {@code deleted} stage (MLflow's soft delete). */
    public void delete(String experimentId) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("experiment_id", requireNonNull(experimentId, "experimentId is null"));
        transport.post(paths.apply("experiments/delete"), body);
    }

    static Optional<String> nextPageToken(JsonNode answer) {
        String token = JsonFields.text(answer, "next_page_token");
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
