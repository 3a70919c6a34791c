package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;
import dev.atelier.server.store.Database;

import java.util.List;

/**
 * Renders a string comparison the same way on SQLite and PostgreSQL: {@code =}, {@code !=},
 * {@code IN} and {@code NOT IN} compare exactly, {@code LIKE} is case-sensitive and {@code ILIKE}
 * case-insensitive, with {@code %} and {@code _} as wildcards and a backslash escaping the next
 * character ({@code 'a\_b'} matches the text a_b).
 *
 * <p>SQLite's LIKE ignores ASCII case, and {@code PRAGMA case_sensitive_like} would change every
 * query of the connection, so a LIKE pattern runs there as the equivalent GLOB pattern, which is
 * case-sensitive and can still use an index for a fixed prefix. ILIKE on SQLite is its plain LIKE,
 * which folds ASCII letters only (PostgreSQL's ILIKE folds all of Unicode).
 */
public final class StringCondition {
    private StringCondition() {
    }

    /** Appends the condition {@code column operator values} to {@code sql}. */
    public static void append(SqlText sql, Database.Dialect dialect, String column, ComparisonOperator operator, List<String> values) {
        switch (operator) {
            case EQUAL -> sql.append(column + " = ?", values.getFirst());
            case NOT_EQUAL -> sql.append(column + " <> ?", values.getFirst());
            case IN -> sql.append(column + " IN ").appendList(values);
            case NOT_IN -> sql.append(column + " NOT IN ").appendList(values);
            case LIKE -> {
                String pattern = checkedPattern(values.getFirst());
                switch (dialect) {
                    case SQLITE -> sql.append(column + " GLOB ?", globPattern(pattern));
                    case POSTGRESQL -> sql.append(column + " LIKE ? ESCAPE '\\'", pattern);
                }
            }
            case ILIKE -> {
                String pattern = checkedPattern(values.getFirst());
                switch (dialect) {
                    case SQLITE -> sql.append(column + " LIKE ? ESCAPE '\\'", pattern);
                    case POSTGRESQL -> sql.append(column + " ILIKE ? ESCAPE '\\'", pattern);
                }
            }
            case GREATER, LESS, GREATER_OR_EQUAL, LESS_OR_EQUAL ->
                    throw new IllegalArgumentException("not a string comparator: " + operator.text());
        }
    }

    /** @throws AtelierException INVALID_PARAMETER_VALUE when the pattern ends with a lone escape */
    private static String checkedPattern(String pattern) {
        int trailingBackslashes = 0;
        for (int i = pattern.length() - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
            trailingBackslashes++;
        }
        if (trailingBackslashes % 2 == 1) {
            throw AtelierException.invalidParameter("Invalid pattern '" + pattern
                    + "': a LIKE pattern must not end with the escape character '\\'");
        }
        return pattern;
    }

    /** The GLOB pattern matching exactly what LIKE {@code pattern} ESCAPE '\' matches, case-sensitively. */
    static String globPattern(String likePattern) {
        StringBuilder glob = new StringBuilder(likePattern.length() + 8);
        for (int i = 0; i < likePattern.length(); i++) {
            char c = likePattern.charAt(i);
            if (c == '\\') {
                i++;
                appendLiteral(glob, likePattern.charAt(i));
            } else if (c == '%') {
                glob.append('*');
            } else if (c == '_') {
                glob.append('?');
            } else {
                appendLiteral(glob, c);
            }
        }
        return glob.toString();
    }

    private static void appendLiteral(StringBuilder glob, char c) {
        switch (c) {
            case '*', '?', '[' -> glob.append('[').append(c).append(']');
            default -> glob.append(c);
        }
    }
}
