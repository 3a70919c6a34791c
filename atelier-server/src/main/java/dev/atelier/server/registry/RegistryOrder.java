package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code order_by} of a registry search ({@code "name ASC"}, {@code "last_updated_timestamp DESC"}),
 * turned into an SQL ORDER BY over the columns a search accepts. A tie-breaker keeps pages stable.
 */
final class RegistryOrder {
    private RegistryOrder() {
    }

    static String sql(List<String> orderBy, Map<String, String> columns, String defaultOrder, String tieBreaker) {
        List<String> terms = new ArrayList<>();
        for (String clause : orderBy) {
            String[] parts = clause.trim().split("\\s+");
            String column = parts.length == 0 ? null : columns.get(parts[0].toLowerCase(Locale.ROOT));
            if (column == null || parts.length > 2
                    || parts.length == 2 && !parts[1].equalsIgnoreCase("ASC") && !parts[1].equalsIgnoreCase("DESC")) {
                throw AtelierException.invalidParameter("Invalid order_by clause '" + clause + "'. Valid keys are "
                        + columns.keySet().stream().sorted().toList() + ", optionally followed by ASC or DESC.");
            }
            terms.add(column + (parts.length == 2 ? " " + parts[1].toUpperCase(Locale.ROOT) : " ASC"));
        }
        if (terms.isEmpty()) {
            terms.add(defaultOrder);
        }
        terms.add(tieBreaker);
        return String.join(", ", terms);
    }
}
