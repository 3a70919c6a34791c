package dev.atelier.server.tracking.search;

import dev.atelier.api.AtelierException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the syntax shared by MLflow's run and experiment searches: a filter is comparisons joined
 * by {@code AND} (any case), an order_by entry is an identifier with an optional ASC or DESC. What
 * the identifiers and operators mean is checked later, by {@link RunFilterParser} and
 * {@link ExperimentFilterParser}.
 *
 * <p>Identifiers are {@code entity.key} or a bare {@code key}; the entity may be in backticks and
 * the key in backticks, double or single quotes (needed for keys with spaces or dashes). Unquoted
 * keys may contain dots: {@code tags.mlflow.runName} has key {@code mlflow.runName}. String values
 * are in single or double quotes; inside them a doubled quote or a backslash before the quote
 * stands for the quote itself, and a double backslash stays as written (so that a LIKE pattern can
 * end with an escaped backslash). Not thread-safe (one instance reads one text).
 */
public final class SearchSyntax {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final String OPERATOR_CHARACTERS = "<>=!~";

    private final String text;
    private final String errorPrefix;
    private int position;

    private SearchSyntax(String text, String errorPrefix) {
        this.text = text;
        this.errorPrefix = errorPrefix;
    }

    /**
     * The comparisons of {@code filter} in order, each turned by {@code meaning} into a predicate
     * as soon as it is read, so that (as in MLflow) a bad comparison is reported before a syntax
     * error further on; empty for a null or blank filter.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when the text is not comparisons joined by
     *         AND, or from {@code meaning}
     */
    public static <T> List<T> parseFilter(String filter, Function<RawComparison, T> meaning) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        SearchSyntax syntax = new SearchSyntax(filter, "Invalid filter '" + filter + "'");
        List<T> comparisons = new ArrayList<>();
        while (true) {
            comparisons.add(meaning.apply(syntax.readComparison()));
            if (syntax.atEnd()) {
                return List.copyOf(comparisons);
            }
            if (!syntax.readKeyword("AND")) {
                throw AtelierException.invalidParameter("Invalid clause(s) in filter string: '"
                        + filter.substring(syntax.position).trim() + "'. Comparisons can only be joined with AND");
            }
        }
    }

    /**
     * One order_by entry such as {@code metrics.acc DESC}.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE when it is not an identifier with an optional direction
     */
    static RawOrderBy parseOrderBy(String clause) {
        if (clause == null || clause.isBlank()) {
            throw AtelierException.invalidParameter("Invalid order_by clause '" + clause + "'. Could not be parsed.");
        }
        SearchSyntax syntax = new SearchSyntax(clause, "Invalid order_by clause '" + clause + "'");
        RawIdentifier identifier = syntax.readIdentifier();
        boolean ascending = true;
        if (!syntax.atEnd()) {
            String direction = syntax.readWord();
            switch (direction.toLowerCase(Locale.ROOT)) {
                case "asc" -> ascending = true;
                case "desc" -> ascending = false;
                default -> throw AtelierException.invalidParameter("Invalid ordering key in order_by clause '" + clause + "'.");
            }
            if (!syntax.atEnd()) {
                throw syntax.error("unexpected text after the direction");
            }
        }
        return new RawOrderBy(identifier, ascending);
    }

    private RawComparison readComparison() {
        RawIdentifier identifier = readIdentifier();
        String operator = readOperator();
        RawValue value = readValue();
        return new RawComparison(identifier, operator, value);
    }

    private RawIdentifier readIdentifier() {
        skipWhitespace();
        String first = readIdentifierPart("an identifier such as metrics.accuracy", false);
        if (position < text.length() && text.charAt(position) == '.') {
            position++;
            String key = readIdentifierPart("a key after '" + first + ".'", true);
            return new RawIdentifier(first, key);
        }
        return new RawIdentifier(null, first);
    }

    /** Reads a quoted or plain part; a plain key ({@code dotsAllowed}) runs on through dots (tags.mlflow.runName). */
    private String readIdentifierPart(String expected, boolean dotsAllowed) {
        if (position >= text.length()) {
            throw error("expected " + expected);
        }
        char c = text.charAt(position);
        if (c == '`' || c == '"' || c == '\'') {
            return readQuoted(c);
        }
        if (!isKeyCharacter(c)) {
            throw error("expected " + expected);
        }
        int start = position;
        while (position < text.length()
                && (isKeyCharacter(text.charAt(position)) || dotsAllowed && text.charAt(position) == '.')) {
            position++;
        }
        return text.substring(start, position);
    }

    private String readOperator() {
        skipWhitespace();
        if (position >= text.length()) {
            throw error("expected a comparator");
        }
        int start = position;
        if (OPERATOR_CHARACTERS.indexOf(text.charAt(position)) >= 0) {
            while (position < text.length() && OPERATOR_CHARACTERS.indexOf(text.charAt(position)) >= 0) {
                position++;
            }
            return text.substring(start, position);
        }
        if (!Character.isLetter(text.charAt(position))) {
            throw error("expected a comparator");
        }
        String word = readWord();
        if (word.equalsIgnoreCase("NOT")) {
            skipWhitespace();
            return "NOT " + readWord();
        }
        return word;
    }

    private RawValue readValue() {
        skipWhitespace();
        if (position >= text.length()) {
            throw error("expected a value");
        }
        int start = position;
        char c = text.charAt(position);
        if (c == '\'' || c == '"') {
            String value = readQuoted(c);
            return new RawValue.QuotedText(value, text.substring(start, position));
        }
        if (c == '(') {
            return readList();
        }
        Matcher number = NUMBER.matcher(text).region(position, text.length());
        if (number.lookingAt() && (number.end() == text.length() || !isKeyCharacter(text.charAt(number.end())))) {
            position = number.end();
            return new RawValue.NumberLiteral(number.group());
        }
        if (isKeyCharacter(c)) {
            while (position < text.length() && (isKeyCharacter(text.charAt(position)) || text.charAt(position) == '.')) {
                position++;
            }
            return new RawValue.BareWord(text.substring(start, position));
        }
        throw error("expected a value");
    }

    private RawValue.TextList readList() {
        int start = position;
        position++; // '('
        List<String> items = new ArrayList<>();
        skipWhitespace();
        if (position < text.length() && text.charAt(position) == ')') {
            throw AtelierException.invalidParameter(
                    "While parsing a list in the query, expected a non-empty list of string values, but got empty list");
        }
        while (true) {
            skipWhitespace();
            char c = position < text.length() ? text.charAt(position) : ' ';
            if (c != '\'' && c != '"') {
                throw AtelierException.invalidParameter("While parsing a list in the query, expected a non-empty list of "
                        + "quoted string values, but got ill-formed list: " + text.substring(start));
            }
            items.add(readQuoted(c));
            skipWhitespace();
            if (position < text.length() && text.charAt(position) == ',') {
                position++;
            } else if (position < text.length() && text.charAt(position) == ')') {
                position++;
                return new RawValue.TextList(items, text.substring(start, position));
            } else {
                throw AtelierException.invalidParameter("While parsing a list in the query, expected a non-empty list of "
                        + "quoted string values, but got ill-formed list: " + text.substring(start));
            }
        }
    }

    /** Reads a quoted text starting at the current quote; a doubled quote or backslash-quote is one quote. */
    private String readQuoted(char quote) {
        int start = position;
        position++;
        StringBuilder value = new StringBuilder();
        while (position < text.length()) {
            char c = text.charAt(position);
            char next = position + 1 < text.length() ? text.charAt(position + 1) : 0;
            if (c == quote && next == quote || c == '\\' && next == quote) {
                value.append(quote);
                position += 2;
            } else if (c == '\\' && next == '\\') {
                value.append("\\\\");
                position += 2;
            } else if (c == quote) {
                position++;
                return value.toString();
            } else {
                value.append(c);
                position++;
            }
        }
        position = start;
        throw error("unterminated quoted text");
    }

    private boolean readKeyword(String keyword) {
        skipWhitespace();
        int end = position + keyword.length();
        if (end <= text.length() && text.regionMatches(true, position, keyword, 0, keyword.length())
                && (end == text.length() || !isKeyCharacter(text.charAt(end)))) {
            position = end;
            return true;
        }
        return false;
    }

    private String readWord() {
        int start = position;
        while (position < text.length() && isKeyCharacter(text.charAt(position))) {
            position++;
        }
        if (start == position) {
            throw error("expected a word");
        }
        return text.substring(start, position);
    }

    private boolean atEnd() {
        skipWhitespace();
        return position >= text.length();
    }

    private void skipWhitespace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private AtelierException error(String detail) {
        return AtelierException.invalidParameter(
                errorPrefix + ". Could not be parsed: " + detail + " at position " + position + ".");
    }

    private static boolean isKeyCharacter(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
