package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Turns MLflow's experiments/search request (filter, view_type, order_by, page) into one SQL query
 * selecting the {@code experiment_id} column (BIGINT) of one page of matching experiments of a
 * workspace, in order. Thread-safe (stateless).
 *
 * <p>The view type is applied here, on experiments.lifecycle_stage. Tag filters inner-join
 * experiment_tags on its primary key, so an experiment without the tag never matches.
 */
public final class ExperimentSearchQueryBuilder {
    private ExperimentSearchQueryBuilder() {
    }

    /**
     * The query for the experiment_ids of experiments of {@code workspace} in {@code viewType}
     * matching {@code filter}, ordered by {@code orderBy} (default {@code creation_time DESC,
     * experiment_id ASC}), skipping {@code offset} and returning at most {@code limit}.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for an invalid filter or order_by
     */
    public static SqlQuery build(Database.Dialect dialect, String workspace, ViewType viewType, String filter,
                                 List<String> orderBy, int limit, int offset) {
        requireNonNull(dialect, "dialect is null");
        requireNonNull(workspace, "workspace is null");
        requireNonNull(viewType, "viewType is null");
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must not be negative: " + limit + ", " + offset);
        }
        List<ExperimentPredicate> predicates = ExperimentSearchParser.parseFilter(filter);
        List<ExperimentOrdering> orderings = ExperimentSearchParser.parseOrderBy(orderBy);

        SqlText joins = new SqlText();
        SqlText conditions = new SqlText()
                .append("e.workspace = ?", workspace)
                .append("\n  AND " + viewType.lifecycleCondition("e.lifecycle_stage"));
        int aliasCount = 0;
        for (ExperimentPredicate predicate : predicates) {
            conditions.append("\n  AND ");
            switch (predicate) {
                case ExperimentPredicate.NameComparison name ->
                        StringCondition.append(conditions, dialect, "e.name", name.operator(), List.of(name.value()));
                case ExperimentPredicate.TimeComparison time -> conditions.append("e." + time.column().key() + " "
                        + RunSearchQueryBuilder.sqlOperator(time.operator()) + " ?", time.value());
                case ExperimentPredicate.TagComparison tag -> {
                    String alias = "t" + ++aliasCount;
                    joins.append("\nJOIN experiment_tags " + alias + " ON " + alias + ".workspace = e.workspace AND "
                            + alias + ".experiment_id = e.experiment_id AND " + alias + ".key = ?", tag.key());
                    StringCondition.append(conditions, dialect, alias + ".value", tag.operator(), List.of(tag.value()));
                }
            }
        }
        SqlText order = new SqlText();
        for (ExperimentOrdering ordering : orderings) {
            order.append((order.isEmpty() ? "e." : ", e.") + ordering.column().key() + (ordering.ascending() ? " ASC" : " DESC"));
        }
        return new SqlText()
                .append("SELECT e.experiment_id\nFROM experiments e")
                .append(joins)
                .append("\nWHERE ").append(conditions)
                .append("\nORDER BY ").append(order)
                .append("\nLIMIT ? OFFSET ?", limit, offset)
                .toQuery();
    }
}
