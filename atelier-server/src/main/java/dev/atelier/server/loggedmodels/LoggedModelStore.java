package dev.atelier.server.loggedmodels;

import dev.atelier.server.tracking.ModelMetric;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where logged models are kept, per workspace; deleted ones are invisible to every read. Implementations are thread-safe. */
public interface LoggedModelStore {
    void create(String workspace, LoggedModel model);

    Optional<LoggedModel> get(String workspace, String modelId);

    /** Sets the status (and its message, when given); false when there is no such model. */
    boolean finalize(String workspace, String modelId, LoggedModelStatus status, Optional<String> message, long time);

    /** Marks the model deleted; false when there is no such model. */
    boolean delete(String workspace, String modelId, long time);

    /** Sets tags (a given key replaces its value); false when there is no such model. */
    boolean setTags(String workspace, String modelId, Map<String, String> tags, long time);

    /** Deletes one tag; false when the model has no such tag. */
    boolean deleteTag(String workspace, String modelId, String key, long time);

    /**
     * Adds params to an existing model. A param is written once: when a key already has another value, nothing is
     * written and the keys in conflict are returned (empty when all were written or already had these values).
     */
    List<String> addParams(String workspace, String modelId, Map<String, String> params, long time);

    /** The model ids {@link LoggedModelSearch} selects, in its order, with no {@code datasets} restriction. */
    default List<String> search(String workspace, List<Long> experimentIds, String filter, List<LoggedModelSearch.Order> orderBy, int limit,
                                int offset) {
        return search(workspace, experimentIds, filter, List.of(), orderBy, limit, offset);
    }

    /** The model ids {@link LoggedModelSearch} selects, in its order. */
    List<String> search(String workspace, List<Long> experimentIds, String filter, List<LoggedModelSearch.DatasetFilter> datasets,
                        List<LoggedModelSearch.Order> orderBy, int limit, int offset);

    /** Keeps metric points logged against models (each model exists); a point with the key, time, step and run of a kept one replaces it. */
    void addMetrics(String workspace, List<ModelMetric> metrics);

    /** The metric points of each of these models that has some, oldest first. */
    Map<String, List<ModelMetric>> metrics(String workspace, List<String> modelIds);

    /** Records that a run produced these models (model id to step); each model must exist. */
    void addOutputs(String workspace, String runId, Map<String, Long> modelSteps);

    /** The models a run produced, with their steps, by model id. */
    default Map<String, Long> outputs(String workspace, String runId) {
        return outputs(workspace, List.of(runId)).getOrDefault(runId, Map.of());
    }

    /** The models each of these runs produced, with their steps, by model id; runs that produced none are left out. */
    Map<String, Map<String, Long>> outputs(String workspace, List<String> runIds);
}
