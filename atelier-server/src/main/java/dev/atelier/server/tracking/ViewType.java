package dev.atelier.server.tracking;

import dev.atelier.api.AtelierException;

/** Which lifecycle stages a search includes (service.proto ViewType). */
public enum ViewType {
    ACTIVE_ONLY,
    DELETED_ONLY,
    ALL;

    /** Parses MLflow's names (also the numbers 1, 2, 3 of the proto enum); empty means ACTIVE_ONLY. */
    public static ViewType parse(String text) {
        if (text == null || text.isEmpty()) {
            return ACTIVE_ONLY;
        }
        return switch (text.toUpperCase(java.util.Locale.ROOT)) {
            case "ACTIVE_ONLY", "1" -> ACTIVE_ONLY;
            case "DELETED_ONLY", "2" -> DELETED_ONLY;
            case "ALL", "3" -> ALL;
            default -> throw AtelierException.invalidParameter("Invalid value '" + text
                    + "' for parameter 'view_type': expected ACTIVE_ONLY, DELETED_ONLY or ALL");
        };
    }
}
