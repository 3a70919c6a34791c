package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * The checks of MLflow's filter grammar for searches outside tracking (traces, logged models), with the run and
 * experiment searches' messages: which comparators a key takes, quoted strings and lists, numbers, and SQL
 * comparators. Thread-safe (stateless).
 */
public final class ComparisonTerms {
    /** {@code =}, {@code !=}, {@code LIKE}, {@code ILIKE}, {@code IN}, {@code NOT IN}. */
    public static final Set<ComparisonOperator> STRING_OR_LIST = ComparisonOperator.STRING_OR_LIST;

    private ComparisonTerms() {
    }

    /** @throws AtelierException INVALID_PARAMETER_VALUE when {@code comparison}'s operator is not one of {@code allowed} */
    public static ComparisonOperator operator(RawComparison comparison, Set<ComparisonOperator> allowed) {
        return ComparisonValues.operator(comparison.operator(), allowed);
    }

    /**
     * The quoted string, or the list for IN and NOT IN.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE for a number, a bare word, or a list with another comparator
     */
    public static List<String> texts(RawComparison comparison, ComparisonOperator operator) {
        ComparisonValues.requireListOnlyWithIn(operator, comparison.value());
        return ComparisonValues.texts(comparison.value(), "Expected a quoted string value for " + comparison.identifier()
                + ". Got value ", null);
    }

    /** A whole number, such as a time in milliseconds; a fraction is cut. */
    public static long number(RawComparison comparison) {
        return new BigDecimal(ComparisonValues.number(comparison.value(), "Expected numeric value type for numeric attribute: "
                + comparison.identifier().key() + ". Found ").toString()).longValue();
    }

    /** The SQL comparator of a numeric one. */
    public static String sqlOperator(ComparisonOperator operator) {
        return RunSearchQueryBuilder.sqlOperator(operator);
    }
}
