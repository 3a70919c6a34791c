package dev.atelier.server.loggedmodels;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;
import dev.atelier.server.tracking.search.ComparisonOperator;
import dev.atelier.server.tracking.search.ComparisonTerms;
import dev.atelier.server.tracking.search.RawComparison;
import dev.atelier.server.tracking.search.RawValue;
import dev.atelier.server.tracking.search.SearchSyntax;
import dev.atelier.server.tracking.search.SqlQuery;
import dev.atelier.server.tracking.search.SqlText;
import dev.atelier.server.tracking.search.StringCondition;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * MLflow 3's SearchLoggedModels as one SQL query for the model ids of a page, as MLflow's SQL store builds it. The
 * filter is MLflow's grammar over attributes ({@code name}, {@code model_id}, {@code status}, {@code model_type},
 * {@code source_run_id}: string comparators; {@code creation_timestamp}/{@code creation_time},
 * {@code last_updated_timestamp}: numeric ones), {@code tags.<key>} and {@code params.<key>} (string comparators; a
 * model without the key never matches) and {@code metrics.<key>} (numeric comparators: a model matches when any point
 * of that metric does, on one of the {@code datasets} when some are given). {@code datasets} alone keeps the models
 * with a metric on one of them. order_by entries are {@link Order}s; a {@code metrics.<key>} one orders by the
 * metric's latest point (by time, then step; on the order's dataset when it names one), models without it last.
 * Unless ordered by creation time, the newest come first among equals, and model_id breaks ties. Deleted models are
 * never selected. Thread-safe (stateless).
 */
public final class LoggedModelSearch {
    /**
     * One {@code OrderBy} of SearchLoggedModels: a field name and its direction, and for a {@code metrics.<key>} field
     * the dataset whose points count.
     */
    public record Order(String fieldName, boolean ascending, Optional<String> datasetName, Optional<String> datasetDigest) {
        public Order {
            requireNonNull(fieldName, "fieldName is null");
            requireNonNull(datasetName, "datasetName is null");
            requireNonNull(datasetDigest, "datasetDigest is null");
        }

        public Order(String fieldName, boolean ascending) {
            this(fieldName, ascending, Optional.empty(), Optional.empty());
        }
    }

    /** One of SearchLoggedModels' {@code datasets}: a dataset name, and its digest when given. */
    public record DatasetFilter(String datasetName, Optional<String> datasetDigest) {
        public DatasetFilter {
            requireNonNull(datasetName, "datasetName is null");
            requireNonNull(datasetDigest, "datasetDigest is null");
        }
    }

    private static final String METRIC_OF_MODEL = "x.workspace = m.workspace AND x.model_id = m.model_id AND x.key = ?";

    private LoggedModelSearch() {
    }

    static SqlQuery build(Database.Dialect dialect, String workspace, List<Long> experimentIds, String filter,
                          List<DatasetFilter> datasets, List<Order> orderBy, int limit, int offset) {
        SqlText sql = new SqlText().append("SELECT m.model_id FROM logged_models m WHERE m.workspace = ? AND m.lifecycle_stage = 'active'"
                + " AND m.experiment_id IN (", workspace);
        for (int i = 0; i < experimentIds.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?", experimentIds.get(i));
        }
        sql.append(")");
        boolean[] metricFilter = {false};
        SearchSyntax.parseFilter(filter, comparison -> {
            sql.append("\n  AND ");
            metricFilter[0] |= condition(sql, dialect, comparison, datasets);
            return comparison;
        });
        if (!datasets.isEmpty() && !metricFilter[0]) {
            sql.append("\n  AND EXISTS (SELECT 1 FROM logged_model_metrics x WHERE x.workspace = m.workspace AND x.model_id = m.model_id");
            datasets(sql, datasets);
            sql.append(")");
        }
        sql.append("\nORDER BY ");
        boolean byId = false;
        boolean byCreation = false;
        for (int i = 0; i < orderBy.size(); i++) {
            Order entry = orderBy.get(i);
            String direction = entry.ascending() ? " ASC" : " DESC";
            sql.append(i == 0 ? "" : ", ");
            if (entry.fieldName().startsWith("metrics.")) {
                sql.append("CASE WHEN ");  // models without the metric last, whatever the direction
                latestMetric(sql, entry);
                sql.append(" IS NULL THEN 1 ELSE 0 END ASC, ");
                latestMetric(sql, entry);
                sql.append(direction);
            } else {
                String column = column(entry.fieldName());
                byId |= column.equals("m.model_id");
                byCreation |= column.equals("m.creation_timestamp_ms");
                sql.append(column + direction);
            }
        }
        String tail = (byCreation ? "" : ", m.creation_timestamp_ms DESC") + (byId ? "" : ", m.model_id ASC");
        sql.append(orderBy.isEmpty() ? tail.substring(2) : tail);
        return sql.append("\nLIMIT ? OFFSET ?", limit, offset).toQuery();
    }

    /** The latest point's value (by time, then step) of the order's metric on the model {@code m}; NULL when none. */
    private static void latestMetric(SqlText sql, Order order) {
        sql.append("(SELECT CASE WHEN x.is_nan = 1 THEN NULL ELSE x.value END FROM logged_model_metrics x WHERE " + METRIC_OF_MODEL,
                order.fieldName().substring("metrics.".length()));
        order.datasetName().ifPresent(name -> sql.append(" AND x.dataset_name = ?", name));
        order.datasetDigest().ifPresent(digest -> sql.append(" AND x.dataset_digest = ?", digest));
        sql.append(" ORDER BY x.timestamp_ms DESC, x.step DESC LIMIT 1)");
    }

    /** Appends one condition; true when it is on a metric. */
    private static boolean condition(SqlText sql, Database.Dialect dialect, RawComparison comparison, List<DatasetFilter> datasets) {
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
            case "metrics", "metric" -> {
                ComparisonOperator operator = ComparisonTerms.operator(comparison, ComparisonOperator.NUMERIC);
                if (!(comparison.value() instanceof RawValue.NumberLiteral number)) {
                    throw AtelierException.invalidParameter("Expected numeric value type for metric: " + key + ". Found "
                            + comparison.value().source());
                }
                sql.append("EXISTS (SELECT 1 FROM logged_model_metrics x WHERE " + METRIC_OF_MODEL + " AND x.is_nan = 0 AND x.value "
                        + ComparisonTerms.sqlOperator(operator) + " ?", key, new BigDecimal(number.source()).doubleValue());
                datasets(sql, datasets);
                sql.append(")");
                return true;
            }
            default -> throw AtelierException.invalidParameter("Invalid entity type '" + entity + "'. Valid entity types are "
                    + "('attributes', 'tags', 'params', 'metrics')");
        }
        return false;
    }

    /** {@code AND (one of the datasets)} on the metric row {@code x}; nothing for no datasets. */
    private static void datasets(SqlText sql, List<DatasetFilter> datasets) {
        for (int i = 0; i < datasets.size(); i++) {
            DatasetFilter dataset = datasets.get(i);
            sql.append((i == 0 ? " AND ((" : " OR (") + "x.dataset_name = ?", dataset.datasetName());
            dataset.datasetDigest().ifPresent(digest -> sql.append(" AND x.dataset_digest = ?", digest));
            sql.append(")");
        }
        if (!datasets.isEmpty()) {
            sql.append(")");
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
