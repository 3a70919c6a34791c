package dev.atelier.server.tracking;

import dev.atelier.api.AtelierException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * MLflow's limits and name rules for logged entities (mlflow/utils/validation.py), checked before
 * anything is written so that a bad batch writes nothing.
 */
final class TrackingLimits {
    static final int MAX_ENTITY_KEY_LENGTH = 250;
    static final int MAX_PARAM_VALUE_LENGTH = 6000;
    static final int MAX_TAG_VALUE_LENGTH = 8000;
    static final int MAX_EXPERIMENT_TAG_VALUE_LENGTH = 5000;
    static final int MAX_METRICS_PER_BATCH = 1000;
    static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    static final int MAX_ENTITIES_PER_BATCH = 1000;
    static final int MAX_RESULTS_THRESHOLD = 50_000;
    static final int DEFAULT_SEARCH_RESULTS = 1000;

    private static final Pattern VALID_NAME = Pattern.compile("^[/\\w.\\- :]*$", Pattern.UNICODE_CHARACTER_CLASS);

    private TrackingLimits() {
    }

    static void checkBatchSize(int metrics, int params, int tags) {
        if (metrics > MAX_METRICS_PER_BATCH) {
            throw AtelierException.invalidParameter("A batch logging request can contain at most " + MAX_METRICS_PER_BATCH
                    + " metrics. Got " + metrics + " metrics. Please split up metrics across multiple requests and try again.");
        }
        if (params > MAX_PARAMS_TAGS_PER_BATCH) {
            throw AtelierException.invalidParameter("A batch logging request can contain at most " + MAX_PARAMS_TAGS_PER_BATCH
                    + " params. Got " + params + " params. Please split up params across multiple requests and try again.");
        }
        if (tags > MAX_PARAMS_TAGS_PER_BATCH) {
            throw AtelierException.invalidParameter("A batch logging request can contain at most " + MAX_PARAMS_TAGS_PER_BATCH
                    + " tags. Got " + tags + " tags. Please split up tags across multiple requests and try again.");
        }
        int total = metrics + params + tags;
        if (total > MAX_ENTITIES_PER_BATCH) {
            throw AtelierException.invalidParameter("A batch logging request can contain at most " + MAX_ENTITIES_PER_BATCH
                    + " total metrics, params, and tags. Got " + total + " entities. Please split up across multiple requests and try again.");
        }
    }

    /** Metric, param and tag keys: MLflow's allowed characters, no path tricks, at most 250 characters. */
    static void checkKey(String kind, String key) {
        if (key == null || key.isEmpty()) {
            throw AtelierException.invalidParameter("Invalid " + kind + " name: ''. Names may not be empty.");
        }
        if (!VALID_NAME.matcher(key).matches()) {
            throw AtelierException.invalidParameter("Invalid " + kind + " name: '" + key + "'. Names may only contain "
                    + "alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
        }
        if (key.startsWith("/") || List.of(key.split("/", -1)).contains("..") || key.equals(".")) {
            throw AtelierException.invalidParameter("Invalid " + kind + " name: '" + key + "'. Names cannot be absolute paths "
                    + "or contain '..' path segments.");
        }
        if (key.length() > MAX_ENTITY_KEY_LENGTH) {
            throw AtelierException.invalidParameter(kind.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + kind.substring(1)
                    + " name '" + key.substring(0, 20) + "...' had length " + key.length()
                    + ", which exceeded length limit of " + MAX_ENTITY_KEY_LENGTH);
        }
    }

    static void checkValueLength(String kind, String key, String value, int limit) {
        if (value.length() > limit) {
            throw AtelierException.invalidParameter(kind + " value '" + value.substring(0, Math.min(20, value.length()))
                    + "...' for key '" + key + "' had length " + value.length() + ", which exceeded length limit of " + limit);
        }
    }

    static int checkMaxResults(int maxResults) {
        if (maxResults <= 0) {
            throw AtelierException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results' supplied. "
                    + "It must be a positive integer");
        }
        if (maxResults > MAX_RESULTS_THRESHOLD) {
            throw AtelierException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results' supplied. "
                    + "It must be at most " + MAX_RESULTS_THRESHOLD);
        }
        return maxResults;
    }

    /** get-history accepts larger pages than search: a whole long history in one call is common. */
    static int checkMaxResultsForHistory(int maxResults) {
        if (maxResults <= 0) {
            throw AtelierException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results' supplied. "
                    + "It must be a positive integer");
        }
        return Math.min(maxResults, 1_000_000);
    }
}
