package dev.atelier.server.registry;

import dev.atelier.api.AtelierException;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The filter of registered-models/search and model-versions/search: comparisons joined by AND,
 * such as {@code name = 'x'}, {@code name ILIKE '%x%'} or {@code run_id IN ('a', 'b')}.
 * Each search names the attributes it accepts and the columns they map to.
 *
 * <p>{@code LIKE} is whatever the database makes it: case-sensitive on PostgreSQL and not on
 * SQLite, as with MLflow's own SQL store.
 */
record RegistryFilter(List<Clause> clauses) {
    private static final Pattern CLAUSE = Pattern.compile(
            "\\G\\s*([A-Za-z_]+)\\s*(=|!=|(?i:ILIKE|LIKE|IN)\\b)\\s*('[^']*'|\"[^\"]*\"|\\([^)]*\\))\\s*(?:(?i:AND)\\s+|$)");
    private static final Pattern LIST_ITEM = Pattern.compile("\\s*('[^']*'|\"[^\"]*\")\\s*(,|$)");

    enum Operator { EQUALS, NOT_EQUALS, LIKE, ILIKE, IN }

    record Clause(String column, Operator operator, List<String> values) {
        Clause {
            requireNonNull(column, "column is null");
            requireNonNull(operator, "operator is null");
            values = List.copyOf(values);
        }
    }

    RegistryFilter {
        clauses = List.copyOf(clauses);
    }

    /** Parses {@code filter}; {@code columns} maps each accepted attribute to its SQL column. */
    static RegistryFilter parse(String filter, Map<String, String> columns) {
        List<Clause> clauses = new ArrayList<>();
        if (filter.isBlank()) {
            return new RegistryFilter(clauses);
        }
        Matcher matcher = CLAUSE.matcher(filter);
        int end = 0;
        while (end < filter.length() && matcher.find()) {
            String attribute = matcher.group(1).toLowerCase(Locale.ROOT);
            String column = columns.get(attribute);
            if (column == null) {
                throw AtelierException.invalidParameter("Invalid attribute key '" + matcher.group(1) + "' in filter '" + filter
                        + "'. Valid keys are " + columns.keySet().stream().sorted().toList() + ".");
            }
            Operator operator = operator(matcher.group(2));
            String value = matcher.group(3);
            if ((operator == Operator.IN) != value.startsWith("(")) {
                throw invalid(filter);
            }
            clauses.add(new Clause(column, operator, operator == Operator.IN ? list(value, filter) : List.of(unquote(value))));
            end = matcher.end();
        }
        if (end != filter.length()) {
            throw invalid(filter);
        }
        return new RegistryFilter(clauses);
    }

    private static Operator operator(String text) {
        return switch (text.toUpperCase(Locale.ROOT)) {
            case "=" -> Operator.EQUALS;
            case "!=" -> Operator.NOT_EQUALS;
            case "LIKE" -> Operator.LIKE;
            case "ILIKE" -> Operator.ILIKE;
            default -> Operator.IN;
        };
    }

    private static List<String> list(String parenthesized, String filter) {
        String inner = parenthesized.substring(1, parenthesized.length() - 1);
        List<String> values = new ArrayList<>();
        Matcher matcher = LIST_ITEM.matcher(inner);
        int end = 0;
        while (end < inner.length() && matcher.find() && matcher.start() == end) {
            values.add(unquote(matcher.group(1)));
            end = matcher.end();
        }
        if (values.isEmpty() || end != inner.length()) {
            throw invalid(filter);
        }
        return values;
    }

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1);
    }

    private static AtelierException invalid(String filter) {
        return AtelierException.invalidParameter("Invalid filter '" + filter + "'. Expected comparisons such as "
                + "name = 'x', name LIKE 'x%' or run_id IN ('a', 'b') joined by AND.");
    }

    /** The SQL condition, {@code TRUE} when there are no clauses; bind with {@link #bind}. */
    String sql() {
        if (clauses.isEmpty()) {
            return "1 = 1";
        }
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < clauses.size(); i++) {
            Clause clause = clauses.get(i);
            String parameter = "filter" + i;
            conditions.add(switch (clause.operator()) {
                case EQUALS -> clause.column() + " = :" + parameter;
                case NOT_EQUALS -> clause.column() + " <> :" + parameter;
                case LIKE -> clause.column() + " LIKE :" + parameter;
                case ILIKE -> "LOWER(" + clause.column() + ") LIKE LOWER(:" + parameter + ")";
                case IN -> clause.column() + " IN (<" + parameter + ">)";
            });
        }
        return String.join(" AND ", conditions);
    }

    void bind(Query query) {
        for (int i = 0; i < clauses.size(); i++) {
            Clause clause = clauses.get(i);
            if (clause.operator() == Operator.IN) {
                query.bindList("filter" + i, clause.values());
            } else {
                query.bind("filter" + i, clause.values().get(0));
            }
        }
    }
}
