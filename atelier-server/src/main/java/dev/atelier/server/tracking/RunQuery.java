package dev.atelier.server.tracking;

import dev.atelier.server.tracking.search.ViewType;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What runs/search asks for: experiments, a filter in MLflow's grammar, the view and the order. */
public record RunQuery(List<Long> experimentIds, String filter, ViewType viewType, List<String> orderBy) {
    public RunQuery {
        experimentIds = List.copyOf(experimentIds);
        filter = filter == null ? "" : filter;
        requireNonNull(viewType, "viewType is null");
        orderBy = List.copyOf(orderBy);
    }
}
