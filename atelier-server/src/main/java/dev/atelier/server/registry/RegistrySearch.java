package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.PageToken;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The two registry searches with MLflow's limits, orderings and paging (offset page tokens,
 * {@code limit + 1} rows to know whether there is a next page). Thread-safe.
 */
final class RegistrySearch {
    static final int DEFAULT_MODEL_RESULTS = 100;
    static final int MAX_MODEL_RESULTS = 1000;
    static final int DEFAULT_VERSION_RESULTS = 10_000;
    static final int MAX_VERSION_RESULTS = 200_000;
    private static final Map<String, String> MODEL_ORDER_COLUMNS = Map.of("name", "name", "creation_timestamp", "creation_time",
            "last_updated_timestamp", "last_update_time", "timestamp", "last_update_time");
    private static final Map<String, String> VERSION_ORDER_COLUMNS = Map.of("name", "name", "version_number", "version",
            "creation_timestamp", "creation_time", "last_updated_timestamp", "last_update_time");

    private final RegistryStore store;

    RegistrySearch(RegistryStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    Page<RegisteredModel> models(String workspace, String filter, List<String> orderBy, Optional<Integer> maxResults,
                                 Optional<String> pageToken) {
        int limit = limit(maxResults, DEFAULT_MODEL_RESULTS, MAX_MODEL_RESULTS);
        int offset = PageToken.decodeOffset(pageToken);
        List<RegisteredModel> found = store.searchRegisteredModels(workspace, RegistryFilter.parse(filter, RegistryFilter.MODELS),
                RegistryOrder.sql(orderBy, MODEL_ORDER_COLUMNS, "name ASC", "name ASC"), offset, limit + 1);
        return page(found, offset, limit);
    }

    Page<ModelVersion> versions(String workspace, String filter, List<String> orderBy, Optional<Integer> maxResults,
                                Optional<String> pageToken) {
        int limit = limit(maxResults, DEFAULT_VERSION_RESULTS, MAX_VERSION_RESULTS);
        int offset = PageToken.decodeOffset(pageToken);
        List<ModelVersion> found = store.searchModelVersions(workspace, RegistryFilter.parse(filter, RegistryFilter.VERSIONS),
                RegistryOrder.sql(orderBy, VERSION_ORDER_COLUMNS, "name ASC, version DESC", "name ASC, version DESC"), offset, limit + 1);
        return page(found, offset, limit);
    }

    private static <T> Page<T> page(List<T> found, int offset, int limit) {
        return found.size() > limit
                ? new Page<>(found.subList(0, limit), Optional.of(PageToken.encode(offset + limit)))
                : new Page<>(found, Optional.empty());
    }

    private static int limit(Optional<Integer> maxResults, int defaultLimit, int maximum) {
        int limit = maxResults.orElse(defaultLimit);
        if (limit < 1 || limit > maximum) {
            throw AtelierException.invalidParameter("Invalid value " + limit + " for parameter 'max_results' supplied. "
                    + "It must be at least 1 and at most " + maximum + ".");
        }
        return limit;
    }
}
