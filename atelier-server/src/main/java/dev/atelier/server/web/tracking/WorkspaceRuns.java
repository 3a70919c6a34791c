package dev.atelier.server.web.tracking;

import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.ExperimentQuery;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.RunQuery;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.tracking.search.ViewType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Questions about a whole workspace that the tracking service answers per experiment. Stateless. */
public final class WorkspaceRuns {
    private static final int EXPERIMENT_PAGE = 1000;

    private WorkspaceRuns() {
    }

    /** The ids of the workspace's experiments in {@code view}, every page of them. */
    static List<Long> experimentIds(TrackingService tracking, String workspace, ViewType view) {
        return experimentNames(tracking, workspace, view).keySet().stream().map(Long::parseLong).toList();
    }

    /** The names of the workspace's experiments in {@code view} by id, every page of them, in the search's order. */
    public static Map<String, String> experimentNames(TrackingService tracking, String workspace, ViewType view) {
        Map<String, String> names = new LinkedHashMap<>();
        Optional<String> token = Optional.empty();
        do {
            Page<Experiment> page = tracking.searchExperiments(workspace, new ExperimentQuery("", view, List.of()),
                    EXPERIMENT_PAGE, token);
            page.items().forEach(experiment -> names.put(experiment.experimentId(), experiment.name()));
            token = page.nextPageToken();
        } while (token.isPresent());
        return names;
    }

    public static long countExperiments(TrackingService tracking, String workspace) {
        return experimentIds(tracking, workspace, ViewType.ACTIVE_ONLY).size();
    }

    /** One page of the runs of every active experiment of the workspace. */
    public static Page<Run> recent(TrackingService tracking, String workspace, String filter, List<String> orderBy, int size,
                                   Optional<String> pageToken) {
        List<Long> ids = experimentIds(tracking, workspace, ViewType.ACTIVE_ONLY);
        return tracking.searchRuns(workspace, new RunQuery(ids, filter, ViewType.ACTIVE_ONLY, orderBy), size, pageToken);
    }
}
