package dev.atelier.server.loggedmodels;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.search.ComparisonOperator;
import dev.atelier.server.tracking.search.ComparisonTerms;
import dev.atelier.server.tracking.search.RawComparison;
import dev.atelier.server.tracking.search.SearchSyntax;
import dev.atelier.server.tracking.search.SqlQuery;
import dev.atelier.server.tracking.search.SqlText;
import dev.atelier.server.tracking.search.StringCondition;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * MLflow 3's SearchLoggedModels as one SQL query for the model ids of a page. The filter is MLflow's grammar over
 * attributes ({@code name}, {@code model_id}, {@code status}, {@code model_type}, {@code source_run_id}: string
 * comparators; {@code creation_timestamp}/{@code creation_time}, {@code last_updated_timestamp}: numeric ones),
 * {@code tags.<key>} and {@code params.<key>} (string comparators; a model without the key never matches). Metrics
 * are not kept for logged models, so {@code metrics.<key>} is refused. order_by entries are {@link Order}s; the
 * default is the newest first, and model_id breaks ties. Deleted models are never selected. Thread-safe (stateless).
 */
public final class LoggedModelSearch {
    /** One {@code OrderBy} of SearchLoggedModels: a field name and its direction. */
    public record Order(String fieldName, boolean ascending) {
        public Order {
            requireNonNull(fieldName, "fieldName is null");
        }
    }

    private LoggedModelSearch() {
    }

    static SqlQuery build(Database.Dialect dialect, String workspace, List<Long> experimentIds, String filter, List<Order> orderBy,
                          int limit, int offset) {
        SqlText sql = new SqlText().append("SELECT m.model_id FROM logged_models m WHERE m.workspace = ? AND m.lifecycle_stage = 'active'"
                + " AND m.experiment_id IN (", workspace);
        for (int i = 0; i < experimentIds.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?", experimentIds.get(i));
        }
        sql.append(")");
        SearchSyntax.parseFilter(filter, comparison -> {
            sql.append("\n  AND ");
            condition(sql, dialect, comparison);
            return comparison;
        });
        StringBuilder order = new StringBuilder();
        boolean byId = false;
        for (Order entry : orderBy) {
            String column = column(entry.fieldName());
            byId |= column.equals("m.model_id");
            order.append(order.isEmpty() ? "" : ", ").append(column).append(entry.ascending() ? " ASC" : " DESC");
        }
        if (order.isEmpty()) {
            order.append("m.creation_timestamp_ms DESC");
        }
        if (!byId) {
            order.append(", m.model_id ASC");
        }
        return sql.append("\nORDER BY " + order).append("\nLIMIT ? OFFSET ?", limit, offset).toQuery();
    }

    private static void condition(SqlText sql, Database.Dialect dialect, RawComparison comparison) {
        String entity = comparison.identifier().entity();
        String key = comparison.identifier().key();
        String kind = entity == null ? "attributes" : entity.toLowerCase(Locale.ROOT);
        switch (kind) {
            case "attributes", "attribute" -> {
                String column = column(key);
                if (column.endsWith("_ms")) {
                    ComparisonOperator operator = ComparisonTerms.operator(comparison, ComparisonOperator.NUMERIC);
                    sql.append(column + " " + ComparisonTerms.sqlOperator(operator) + " ?", ComparisonTerms.number(comparison));
                } else {
                    ComparisonOperator operator = ComparisonTerms.operator(comparison, ComparisonTerms.STRING_OR_LIST);
                    StringCondition.append(sql, dialect, column, operator, ComparisonTerms.texts(comparison, operator));
                }
            }
            case "tags", "tag", "params", "param" -> {
                String table = kind.startsWith("tag") ? "logged_model_tags" : "logged_model_params";
                ComparisonOperator operator = ComparisonTerms.operator(comparison, ComparisonTerms.STRING_OR_LIST);
                sql.append("EXISTS (SELECT 1 FROM " + table + " k WHERE k.workspace = m.workspace AND k.model_id = m.model_id"
                        + " AND k.key = ? AND ", key);
                StringCondition.append(sql, dialect, "k.value", operator, ComparisonTerms.texts(comparison, operator));
                sql.append(")");
            }
            default -> throw AtelierException.invalidParameter("Invalid entity type '" + entity + "'. Valid entity types are "
                    + "('attributes', 'tags', 'params'); metrics are not kept for logged models on this server");
        }
    }

    private static String column(String key) {
        return switch (key) {
            case "name" -> "m.name";
            case "model_id" -> "m.model_id";
            case "status" -> "m.status";
            case "model_type" -> "m.model_type";
            case "source_run_id" -> "m.source_run_id";
            case "creation_timestamp", "creation_timestamp_ms", "creation_time" -> "m.creation_timestamp_ms";
            case "last_updated_timestamp", "last_updated_timestamp_ms" -> "m.last_updated_timestamp_ms";
            default -> throw AtelierException.invalidParameter("Invalid attribute key '" + key + "'. Valid keys are "
                    + "'{'name', 'model_id', 'status', 'model_type', 'source_run_id', 'creation_timestamp', 'last_updated_timestamp'}'");
        };
    }



}
