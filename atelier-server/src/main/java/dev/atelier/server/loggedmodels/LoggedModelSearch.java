package dev.atelier.server.loggedmodels;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.search.ComparisonOperator;
import dev.atelier.server.tracking.search.RawComparison;
import dev.atelier.server.tracking.search.RawValue;
import dev.atelier.server.tracking.search.SearchSyntax;
import dev.atelier.server.tracking.search.SqlQuery;
import dev.atelier.server.tracking.search.SqlText;
import dev.atelier.server.tracking.search.StringCondition;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
    private static final Set<ComparisonOperator> STRING = EnumSet.of(ComparisonOperator.EQUAL, ComparisonOperator.NOT_EQUAL,
            ComparisonOperator.LIKE, ComparisonOperator.ILIKE, ComparisonOperator.IN, ComparisonOperator.NOT_IN);

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
                    ComparisonOperator operator = operator(comparison.operator(), ComparisonOperator.NUMERIC);
                    if (!(comparison.value() instanceof RawValue.NumberLiteral number)) {
                        throw AtelierException.invalidParameter("Expected numeric value type for numeric attribute: " + key
                                + ". Found " + comparison.value().source());
                    }
                    sql.append(column + " " + numeric(operator) + " ?", new BigDecimal(number.source()).longValue());
                } else {
                    StringCondition.append(sql, dialect, column, operator(comparison.operator(), STRING), texts(comparison));
                }
            }
            case "tags", "tag", "params", "param" -> {
                String table = kind.startsWith("tag") ? "logged_model_tags" : "logged_model_params";
                sql.append("EXISTS (SELECT 1 FROM " + table + " k WHERE k.workspace = m.workspace AND k.model_id = m.model_id"
                        + " AND k.key = ? AND ", key);
                StringCondition.append(sql, dialect, "k.value", operator(comparison.operator(), STRING), texts(comparison));
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

    private static List<String> texts(RawComparison comparison) {
        return switch (comparison.value()) {
            case RawValue.QuotedText quoted -> List.of(quoted.text());
            case RawValue.TextList list -> list.items();
            case RawValue.NumberLiteral number -> throw AtelierException.invalidParameter("Expected a quoted string value for "
                    + comparison.identifier() + ". Got value " + number.source());
            case RawValue.BareWord word -> throw AtelierException.invalidParameter("Parameter value is either not quoted or "
                    + "unidentified quote types used for string value " + word.source() + ". Use either single or double quotes.");
        };
    }

    private static ComparisonOperator operator(String text, Set<ComparisonOperator> allowed) {
        return ComparisonOperator.fromText(text).filter(allowed::contains).orElseThrow(() -> AtelierException.invalidParameter(
                "Invalid comparator '" + text.toUpperCase(Locale.ROOT) + "' not one of '" + ComparisonOperator.describe(allowed)));
    }

    private static String numeric(ComparisonOperator operator) {
        return switch (operator) {
            case EQUAL -> "=";
            case NOT_EQUAL -> "<>";
            case GREATER -> ">";
            case LESS -> "<";
            case GREATER_OR_EQUAL -> ">=";
            case LESS_OR_EQUAL -> "<=";
            case LIKE, ILIKE, IN, NOT_IN -> throw new IllegalArgumentException("not a numeric comparator: " + operator.text());
        };
    }
}
