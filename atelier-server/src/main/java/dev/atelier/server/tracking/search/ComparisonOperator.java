package dev.atelier.server.tracking.search;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The comparators of MLflow's search grammar. */
public enum ComparisonOperator {
    EQUAL("="),
    GREATER(">"),
    LESS("<"),
    GREATER_OR_EQUAL(">="),
    NOT_EQUAL("!="),
    LESS_OR_EQUAL("<="),
    LIKE("LIKE"),
    ILIKE("ILIKE"),
    IN("IN"),
    NOT_IN("NOT IN");

    public static final Set<ComparisonOperator> NUMERIC = EnumSet.of(EQUAL, GREATER, LESS, GREATER_OR_EQUAL, NOT_EQUAL, LESS_OR_EQUAL);
    public static final Set<ComparisonOperator> STRING = EnumSet.of(NOT_EQUAL, EQUAL, LIKE, ILIKE);
    static final Set<ComparisonOperator> STRING_OR_LIST = EnumSet.of(NOT_EQUAL, EQUAL, LIKE, ILIKE, IN, NOT_IN);

    private final String text;

    ComparisonOperator(String text) {
        this.text = text;
    }

    /** The operator as written in a filter, upper case. */
    public String text() {
        return text;
    }

    /** The operator a filter spells {@code text} (keywords in any case), if any. */
    public static Optional<ComparisonOperator> fromText(String text) {
        String normalized = text.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        return Arrays.stream(values()).filter(operator -> operator.text.equals(normalized)).findFirst();
    }

    boolean takesList() {
        return this == IN || this == NOT_IN;
    }

    /** A set written the way MLflow's messages print it: {@code {'=', '>', ...}}. */
    public static String describe(Set<ComparisonOperator> operators) {
        return SearchMessages.describe(operators.stream().map(ComparisonOperator::text).toList());
    }
}
