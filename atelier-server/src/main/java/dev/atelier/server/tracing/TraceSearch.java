package dev.atelier.server.tracing;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.search.ComparisonOperator;
import dev.atelier.server.tracking.search.ComparisonTerms;
import dev.atelier.server.tracking.search.RawComparison;
import dev.atelier.server.tracking.search.SearchSyntax;
import dev.atelier.server.tracking.search.SqlQuery;
import dev.atelier.server.tracking.search.SqlText;
import dev.atelier.server.tracking.search.StringCondition;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * MLflow's trace search (SearchTraces, SearchTracesV3) as one SQL query for the request ids of a page of traces.
 * The filter is MLflow's grammar (comparisons joined by AND, {@link SearchSyntax}) over:
 * <ul>
 *   <li>attributes ({@code attributes.}, {@code attribute.}, {@code trace.} or bare): {@code status}/{@code state}
 *       (=, !=, IN, NOT IN), {@code timestamp_ms}/{@code timestamp} and {@code execution_time_ms}/{@code execution_time}
 *       (numeric comparators), {@code request_id}/{@code trace_id} and {@code name} (the {@code mlflow.traceName} tag;
 *       string comparators), {@code run_id} (= or IN: the traces logged in the run or linked to it);</li>
 *   <li>{@code tags.<key>} / {@code tag.<key>} and {@code request_metadata.<key>} / {@code metadata.<key>}: string
 *       comparators; a trace without the key never matches.</li>
 * </ul>
 * order_by takes {@code timestamp_ms}, {@code execution_time_ms}, {@code status} and {@code request_id} (with the
 * same prefixes), ASC or DESC; MLflow's default is {@code timestamp_ms DESC}, and {@code request_id} breaks ties.
 * Thread-safe (stateless).
 */
final class TraceSearch {
    private static final Set<ComparisonOperator> STATUS = EnumSet.of(ComparisonOperator.EQUAL, ComparisonOperator.NOT_EQUAL,
            ComparisonOperator.IN, ComparisonOperator.NOT_IN);
    /** The trace metadata naming the run a trace was logged in. */
    private static final String SOURCE_RUN = "mlflow.sourceRun";

    private TraceSearch() {
    }

    /**
     * The query selecting {@code request_id} of the traces of {@code experimentIds} in {@code workspace} that match.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for a filter or order_by MLflow would refuse
     */
    static SqlQuery build(Database.Dialect dialect, String workspace, List<Long> experimentIds, String filter, List<String> orderBy,
                          int limit, int offset) {
        requireNonNull(dialect, "dialect is null");
        SqlText sql = new SqlText().append("SELECT t.request_id FROM traces t WHERE t.workspace = ? AND t.experiment_id IN (", workspace);
        for (int i = 0; i < experimentIds.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?", experimentIds.get(i));
        }
        sql.append(")");
        SearchSyntax.parseFilter(filter, comparison -> {
            sql.append("\n  AND ");
            condition(sql, dialect, comparison);
            return comparison;
        });
        sql.append("\nORDER BY ").append(order(orderBy)).append("\nLIMIT ? OFFSET ?", limit, offset);
        return sql.toQuery();
    }

    private static void condition(SqlText sql, Database.Dialect dialect, RawComparison comparison) {
        String entity = comparison.identifier().entity();
        String key = comparison.identifier().key();
        String kind = entity == null ? "attributes" : entity.toLowerCase(Locale.ROOT);
        switch (kind) {
            case "attributes", "attribute", "trace" -> attribute(sql, dialect, key, comparison);
            case "tags", "tag" -> keyed(sql, dialect, "trace_tags", key, comparison);
            case "request_metadata", "metadata" -> keyed(sql, dialect, "trace_request_metadata", key, comparison);
            default -> throw AtelierException.invalidParameter("Invalid entity type '" + entity + "'. Valid entity types are "
                    + "('attributes', 'tags', 'request_metadata', 'metadata')");
        }
    }

    private static void attribute(SqlText sql, Database.Dialect dialect, String key, RawComparison comparison) {
        switch (key) {
            case "status", "state" -> {
                ComparisonOperator operator = ComparisonTerms.operator(comparison, STATUS);
                List<String> statuses = ComparisonTerms.texts(comparison, operator).stream()
                        .map(text -> TraceStatus.parse("filter", text).name()).toList();
                StringCondition.append(sql, dialect, "t.status", operator, statuses);
            }
            case "timestamp_ms", "timestamp", "execution_time_ms", "execution_time" -> {
                ComparisonOperator operator = ComparisonTerms.operator(comparison, ComparisonOperator.NUMERIC);
                String column = key.startsWith("timestamp") ? "t.timestamp_ms" : "t.execution_time_ms";
                sql.append(column + " " + ComparisonTerms.sqlOperator(operator) + " ?", ComparisonTerms.number(comparison));
            }
            case "request_id", "trace_id" -> {
                ComparisonOperator operator = ComparisonTerms.operator(comparison, ComparisonTerms.STRING_OR_LIST);
                StringCondition.append(sql, dialect, "t.request_id", operator, ComparisonTerms.texts(comparison, operator));
            }
            case "name" -> keyed(sql, dialect, "trace_tags", TraceInfo.NAME_TAG, comparison);
            case "run_id" -> {
                // MLflow 3's search_traces(run_id=...): the traces logged in the run or linked to it.
                ComparisonTerms.operator(comparison, EnumSet.of(ComparisonOperator.EQUAL, ComparisonOperator.IN));
                keyed(sql, dialect, "trace_request_metadata", SOURCE_RUN, comparison);
            }
            default -> throw AtelierException.invalidParameter("Invalid attribute key '" + key + "' specified. Valid keys are "
                    + "'{'status', 'timestamp_ms', 'execution_time_ms', 'request_id', 'name', 'run_id'}'");
        }
    }

    /**
     * {@code tags.k} or {@code request_metadata.k}: the trace has the key and its value compares. {@code = } or
     * {@code IN} on the metadata {@code mlflow.sourceRun} also finds the traces linked to the run (LinkTracesToRun).
     */
    private static void keyed(SqlText sql, Database.Dialect dialect, String table, String key, RawComparison comparison) {
        ComparisonOperator operator = ComparisonTerms.operator(comparison, ComparisonTerms.STRING_OR_LIST);
        List<String> values = ComparisonTerms.texts(comparison, operator);
        boolean linked = table.equals("trace_request_metadata") && key.equals(SOURCE_RUN)
                && (operator == ComparisonOperator.EQUAL || operator == ComparisonOperator.IN);
        sql.append(linked ? "(EXISTS (" : "EXISTS (");
        sql.append("SELECT 1 FROM " + table + " k WHERE k.workspace = t.workspace AND k.request_id = t.request_id"
                + " AND k.key = ? AND ", key);
        StringCondition.append(sql, dialect, "k.value", operator, values);
        sql.append(")");
        if (linked) {
            sql.append(" OR EXISTS (SELECT 1 FROM trace_run_links l WHERE l.workspace = t.workspace AND l.request_id = t.request_id"
                    + " AND ");
            StringCondition.append(sql, dialect, "l.run_uuid", operator, values);
            sql.append("))");
        }
    }

    private static String order(List<String> orderBy) {
        List<String> terms = new ArrayList<>();
        boolean byId = false;
        for (String clause : orderBy) {
            String[] words = clause.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty() || words.length > 2) {
                throw AtelierException.invalidParameter("Invalid order_by clause '" + clause + "'");
            }
            String direction = words.length == 1 ? "ASC" : words[1].toUpperCase(Locale.ROOT);
            if (!direction.equals("ASC") && !direction.equals("DESC")) {
                throw AtelierException.invalidParameter("Invalid order_by clause '" + clause + "': the direction is ASC or DESC");
            }
            String key = words[0].replaceFirst("^(attributes|attribute|trace)\\.", "");
            String column = switch (key) {
                case "timestamp_ms", "timestamp" -> "t.timestamp_ms";
                case "execution_time_ms", "execution_time" -> "t.execution_time_ms";
                case "status", "state" -> "t.status";
                case "request_id", "trace_id" -> "t.request_id";
                default -> throw AtelierException.invalidParameter("Invalid order_by key '" + words[0] + "'. Valid keys are "
                        + "'{'timestamp_ms', 'execution_time_ms', 'status', 'request_id'}'");
            };
            byId |= column.equals("t.request_id");
            terms.add(column + " " + direction);
        }
        if (terms.isEmpty()) {
            terms.add("t.timestamp_ms DESC");
        }
        if (!byId) {
            terms.add("t.request_id ASC");
        }
        return String.join(", ", terms);
    }
}
