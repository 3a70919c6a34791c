package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;

import java.util.Locale;

/**
 * Which lifecycle stages a search returns, as MLflow's {@code ViewType} proto enum
 * (ACTIVE_ONLY = 1, DELETED_ONLY = 2, ALL = 3).
 */
public enum ViewType {
    ACTIVE_ONLY,
    DELETED_ONLY,
    ALL;

    /**
     * Reads a request's view type: the enum name (any case) or its proto number; {@code null} or
     * blank means MLflow's default, ACTIVE_ONLY.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for any other text
     */
    public static ViewType parse(String text) {
        if (text == null || text.isBlank()) {
            return ACTIVE_ONLY;
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "ACTIVE_ONLY", "1" -> ACTIVE_ONLY;
            case "DELETED_ONLY", "2" -> DELETED_ONLY;
            case "ALL", "3" -> ALL;
            default -> throw AtelierException.invalidParameter(
                    "Invalid view type '" + text + "'. Valid values are ACTIVE_ONLY, DELETED_ONLY, ALL");
        };
    }

    /** A SQL condition on {@code column} (a lifecycle_stage column) selecting this view; no parameters. */
    String lifecycleCondition(String column) {
        return switch (this) {
            case ACTIVE_ONLY -> column + " = 'active'";
            case DELETED_ONLY -> column + " = 'deleted'";
            case ALL -> column + " IN ('active', 'deleted')";
        };
    }
}
