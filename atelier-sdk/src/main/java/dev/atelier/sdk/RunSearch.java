package dev.atelier.sdk;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The parameters of MLflow's {@code runs/search}. Start from {@link #inExperiments} and refine with
 * the {@code with...} methods.
 *
 * @param filter     MLflow search syntax, such as {@code metrics.loss < 0.1 and params.lr = '0.01'}; empty for all runs
 * @param orderBy    clauses such as {@code metrics.loss ASC} or {@code attributes.start_time DESC}
 * @param maxResults the page size, at most 50000 (MLflow's limit)
 */
public record RunSearch(
        List<String> experimentIds,
        String filter,
        List<String> orderBy,
        int maxResults,
        Optional<String> pageToken,
        ViewType viewType) {

    /** MLflow's default page size. */
    public static final int DEFAULT_MAX_RESULTS = 1000;

    public RunSearch {
        experimentIds = List.copyOf(requireNonNull(experimentIds, "experimentIds is null"));
        requireNonNull(filter, "filter is null");
        orderBy = List.copyOf(requireNonNull(orderBy, "orderBy is null"));
        requireNonNull(pageToken, "pageToken is null");
        requireNonNull(viewType, "viewType is null");
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be positive: " + maxResults);
        }
    }

    public static RunSearch inExperiments(String... experimentIds) {
        return new RunSearch(List.of(experimentIds), "", List.of(), DEFAULT_MAX_RESULTS, Optional.empty(), ViewType.ACTIVE_ONLY);
    }

    public RunSearch withFilter(String filter) {
        return new RunSearch(experimentIds, filter, orderBy, maxResults, pageToken, viewType);
    }

    public RunSearch withOrderBy(List<String> orderBy) {
        return new RunSearch(experimentIds, filter, orderBy, maxResults, pageToken, viewType);
    }

    public RunSearch withMaxResults(int maxResults) {
        return new RunSearch(experimentIds, filter, orderBy, maxResults, pageToken, viewType);
    }

    public RunSearch withPageToken(Optional<String> pageToken) {
        return new RunSearch(experimentIds, filter, orderBy, maxResults, pageToken, viewType);
    }

    public RunSearch withViewType(ViewType viewType) {
        return new RunSearch(experimentIds, filter, orderBy, maxResults, pageToken, viewType);
    }
}
