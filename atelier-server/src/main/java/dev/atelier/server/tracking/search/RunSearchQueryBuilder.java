package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Turns MLflow's runs/search request (experiment ids, filter, run_view_type, order_by, page) into
 * one SQL query selecting the {@code run_uuid} column of one page of matching runs, in order.
 * Thread-safe (stateless).
 *
 * <p>Semantics follow MLflow's SQL store ({@code mlflow/store/tracking/sqlalchemy_store.py}):
 * <ul>
 *   <li>Metric filters compare the run's latest value of the metric; a run without the metric
 *       never matches, nor does a run without the param or tag a param or tag filter names,
 *       even for {@code !=}. Dataset filters match when any dataset input of the run matches.</li>
 *   <li>NaN metrics match only {@code !=} (MLflow's SQL store compares the stored 0 instead).</li>
 *   <li>Ordering by a metric puts values first, then NaN, then runs without the metric, in either
 *       direction; params, tags and nullable attributes put missing values last. Ties are broken
 *       by {@code start_time DESC} (unless ordered by start_time) and then {@code run_uuid}.</li>
 *   <li>{@code attributes.run_name} compares the runs.name column (MLflow compares the
 *       mlflow.runName tag, which it keeps equal to the name).</li>
 * </ul>
 *
 * <p>Every filter on a metric, param or tag joins that table on its primary key (run_uuid, key), so
 * each run appears at most once and no DISTINCT is needed; an ordering on a key that is also
 * filtered reuses the filter's join.
 */
public final class RunSearchQueryBuilder {
    private RunSearchQueryBuilder() {
    }

    /**
     * The query for the run_uuids of runs in {@code experimentIds} of {@code workspace} that are in
     * {@code viewType} and match {@code filter}, ordered by {@code orderBy}, skipping {@code offset}
     * runs and returning at most {@code limit} (ask for one more than a page to learn whether a
     * next page exists).
     *
     * @param filter MLflow filter text; null or blank matches every run
     * @param orderBy MLflow order_by entries such as {@code "metrics.acc DESC"}; null or empty for the default order
     * @throws AtelierException INVALID_PARAMETER_VALUE for an invalid filter or order_by, with MLflow's message
     */
    public static SqlQuery build(Database.Dialect dialect, String workspace, List<Long> experimentIds, ViewType viewType,
                                 String filter, List<String> orderBy, int limit, int offset) {
        requireNonNull(dialect, "dialect is null");
        requireNonNull(workspace, "workspace is null");
        requireNonNull(experimentIds, "experimentIds is null");
        requireNonNull(viewType, "viewType is null");
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must not be negative: " + limit + ", " + offset);
        }
        List<RunPredicate> predicates = RunFilterParser.parse(filter);
        List<RunOrdering> orderings = RunOrderByParser.parse(orderBy);
        return new Rendering(dialect).render(workspace, experimentIds, viewType, predicates, orderings, limit, offset);
    }

    /** The state of rendering one query: joins, conditions and the aliases already used. */
    private static final class Rendering {
        private final Database.Dialect dialect;
        private final SqlText joins = new SqlText();
        private final SqlText conditions = new SqlText();
        private final SqlText order = new SqlText();
        /** Filter joins by "table/key", for orderings to reuse. */
        private final Map<String, String> filterAliases = new HashMap<>();
        /** Metric filter joins whose condition lets NaN rows through (only {@code !=} does). */
        private final Set<String> aliasesPassingNan = new HashSet<>();
        private int aliasCount;

        Rendering(Database.Dialect dialect) {
            this.dialect = dialect;
        }

        SqlQuery render(String workspace, List<Long> experimentIds, ViewType viewType, List<RunPredicate> predicates,
                        List<RunOrdering> orderings, int limit, int offset) {
            conditions.append("r.workspace = ?", workspace);
            if (experimentIds.isEmpty()) {
                conditions.append("\n  AND 1 = 0");
            } else {
                conditions.append("\n  AND r.experiment_id IN ").appendList(experimentIds);
            }
            conditions.append("\n  AND " + viewType.lifecycleCondition("r.lifecycle_stage"));
            predicates.forEach(this::appendPredicate);
            orderings.forEach(this::appendOrdering);
            appendTieBreakers(orderings);
            return new SqlText()
                    .append("SELECT r.run_uuid\nFROM runs r")
                    .append(joins)
                    .append("\nWHERE ").append(conditions)
                    .append("\nORDER BY ").append(order)
                    .append("\nLIMIT ? OFFSET ?", limit, offset)
                    .toQuery();
        }

        private void appendPredicate(RunPredicate predicate) {
            conditions.append("\n  AND ");
            switch (predicate) {
                case RunPredicate.MetricComparison metric -> appendMetricCondition(metric);
                case RunPredicate.ParamComparison param when param.operator() == ComparisonOperator.EQUAL ->
                        appendEqualityMembership("params", param.key(), param.value());
                case RunPredicate.TagComparison tag when tag.operator() == ComparisonOperator.EQUAL ->
                        appendEqualityMembership("tags", tag.key(), tag.value());
                case RunPredicate.ParamComparison param -> StringCondition.append(conditions, dialect,
                        filterJoin("params", param.key()) + ".value", param.operator(), List.of(param.value()));
                case RunPredicate.TagComparison tag -> StringCondition.append(conditions, dialect,
                        filterJoin("tags", tag.key()) + ".value", tag.operator(), List.of(tag.value()));
                case RunPredicate.StringAttributeComparison attribute -> StringCondition.append(conditions, dialect,
                        "r." + attribute.attribute().column(), attribute.operator(), attribute.values());
                case RunPredicate.NumericAttributeComparison attribute -> conditions.append(
                        "r." + attribute.attribute().column() + " " + sqlOperator(attribute.operator()) + " ?", attribute.value());
                case RunPredicate.DatasetComparison dataset -> appendDatasetCondition(dataset);
            }
        }

        /**
         * {@code tags.k = 'v'} and {@code params.k = 'v'} as a membership test on the (key, value)
         * index: the database finds the few matching runs first instead of walking every run of the
         * experiment and probing its tags (a parent run's children among 100,000 runs).
         */
        private void appendEqualityMembership(String table, String key, String value) {
            conditions.append("r.run_uuid IN (SELECT run_uuid FROM " + table + " WHERE key = ? AND value = ?)", key, value);
        }

        /**
         * NaN is stored as value 0 with is_nan = 1 and must match only {@code !=}; the is_nan test
         * is added only where a stored 0 would pass the comparison, so that a range like
         * {@code > 0.5} stays a pure range on the (key, value, run_uuid) index.
         */
        private void appendMetricCondition(RunPredicate.MetricComparison metric) {
            String alias = filterJoin("latest_metrics", metric.key());
            ComparisonOperator operator = metric.operator();
            double value = metric.value();
            if (operator == ComparisonOperator.NOT_EQUAL) {
                conditions.append("(" + alias + ".value <> ? OR " + alias + ".is_nan = 1)", value);
                aliasesPassingNan.add(alias);
                return;
            }
            conditions.append(alias + ".value " + sqlOperator(operator) + " ?", value);
            if (zeroSatisfies(operator, value)) {
                conditions.append(" AND " + alias + ".is_nan = 0");
            }
        }

        private void appendDatasetCondition(RunPredicate.DatasetComparison dataset) {
            switch (dataset.field()) {
                case NAME, DIGEST -> {
                    conditions.append("""
                            EXISTS (SELECT 1 FROM run_inputs ri JOIN datasets d ON d.dataset_uuid = ri.dataset_uuid
                                      WHERE ri.run_uuid = r.run_uuid AND\s""");
                    String column = dataset.field() == DatasetField.NAME ? "d.name" : "d.digest";
                    StringCondition.append(conditions, dialect, column, dataset.operator(), dataset.values());
                }
                case CONTEXT -> {
                    conditions.append("""
                            EXISTS (SELECT 1 FROM run_input_tags it
                                      WHERE it.run_uuid = r.run_uuid AND it.key = ? AND\s""", DatasetField.CONTEXT_TAG);
                    StringCondition.append(conditions, dialect, "it.value", dataset.operator(), dataset.values());
                }
            }
            conditions.append(")");
        }

        /** Inner-joins {@code table} on (run_uuid, key); its primary key keeps one row per run. */
        private String filterJoin(String table, String key) {
            String alias = "f" + ++aliasCount;
            joins.append("\nJOIN " + table + " " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND " + alias + ".key = ?", key);
            filterAliases.putIfAbsent(table + "/" + key, alias);
            return alias;
        }

        private void appendOrdering(RunOrdering ordering) {
            if (!order.isEmpty()) {
                order.append(", ");
            }
            String direction = ordering.ascending() ? " ASC" : " DESC";
            switch (ordering.key()) {
                case RunOrdering.Metric metric -> {
                    String alias = orderJoin("latest_metrics", metric.key());
                    if (alias.startsWith("f") && !aliasesPassingNan.contains(alias)) {
                        // Every row has a real value: a plain order lets SQLite walk the
                        // (key, value, run_uuid) index and stop after one page.
                        order.append(alias + ".value" + direction);
                    } else {
                        order.append("CASE WHEN " + alias + ".run_uuid IS NULL THEN 2 WHEN " + alias + ".is_nan = 1 THEN 1 ELSE 0 END, "
                                + alias + ".value" + direction);
                    }
                }
                case RunOrdering.Param param -> appendTextOrdering(orderJoin("params", param.key()) + ".value", direction);
                case RunOrdering.Tag tag -> appendTextOrdering(orderJoin("tags", tag.key()) + ".value", direction);
                case RunOrdering.Attribute attribute -> {
                    String column = "r." + attribute.attribute().column();
                    if (attribute.attribute().isNullable()) {
                        appendTextOrdering(column, direction);
                    } else {
                        order.append(column + direction);
                    }
                }
            }
        }

        /**
         * Missing values last. SQLite sorts NULL below every value, so a descending order puts them last by itself: a
         * plain {@code column DESC} says the same as the CASE and lets SQLite walk an index in that order and stop after
         * one page (runs_by_experiment for start_time) instead of sorting every run of the experiment.
         */
        private void appendTextOrdering(String column, String direction) {
            if (dialect == Database.Dialect.SQLITE && direction.equals(" DESC")) {
                order.append(column + direction);
                return;
            }
            order.append("CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END, " + column + direction);
        }

        /** The alias holding {@code key} of {@code table}: a filter's join when there is one, else a new LEFT JOIN. */
        private String orderJoin(String table, String key) {
            String filterAlias = filterAliases.get(table + "/" + key);
            if (filterAlias != null) {
                return filterAlias;
            }
            String alias = "o" + ++aliasCount;
            joins.append("\nLEFT JOIN " + table + " " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND " + alias + ".key = ?", key);
            return alias;
        }

        private void appendTieBreakers(List<RunOrdering> orderings) {
            boolean byStartTime = orderings.stream().anyMatch(ordering ->
                    ordering.key().equals(new RunOrdering.Attribute(RunAttribute.START_TIME)));
            boolean byRunId = orderings.stream().anyMatch(ordering ->
                    ordering.key().equals(new RunOrdering.Attribute(RunAttribute.RUN_ID)));
            if (!byStartTime) {
                order.append(order.isEmpty() ? "r.start_time DESC" : ", r.start_time DESC");
            }
            if (!byRunId) {
                order.append(", r.run_uuid");
            }
        }
    }

    private static boolean zeroSatisfies(ComparisonOperator operator, double value) {
        return switch (operator) {
            case EQUAL -> 0 == value;
            case NOT_EQUAL -> 0 != value;
            case GREATER -> 0 > value;
            case GREATER_OR_EQUAL -> 0 >= value;
            case LESS -> 0 < value;
            case LESS_OR_EQUAL -> 0 <= value;
            case LIKE, ILIKE, IN, NOT_IN -> throw new IllegalArgumentException("not a numeric comparator: " + operator.text());
        };
    }

    static String sqlOperator(ComparisonOperator operator) {
        return switch (operator) {
            case EQUAL -> "=";
            case NOT_EQUAL -> "<>";
            case GREATER -> ">";
            case GREATER_OR_EQUAL -> ">=";
            case LESS -> "<";
            case LESS_OR_EQUAL -> "<=";
            case LIKE, ILIKE, IN, NOT_IN -> throw new IllegalArgumentException("not a numeric comparator: " + operator.text());
        };
    }
}
