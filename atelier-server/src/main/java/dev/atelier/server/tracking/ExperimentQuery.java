package dev.atelier.server.tracking;

import dev.atelier.server.tracking.search.ViewType;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What experiments/search asks for: a filter in MLflow's grammar, the view and the order. */
public record ExperimentQuery(String filter, ViewType viewType, List<String> orderBy) {
    public ExperimentQuery {
        filter = filter == null ? "" : filter;
        requireNonNull(viewType, "viewType is null");
        orderBy = List.copyOf(orderBy);
    }
}
